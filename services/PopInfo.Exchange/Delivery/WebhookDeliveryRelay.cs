using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Webhooks;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// POSTs each department's events to its webhook, one at a time in sequence order, signed
/// (<see cref="WebhookSignature"/>). A failed POST (network, timeout, 408, 429, 5xx) is retried with
/// exponential backoff and jitter (Polly) up to the budget; then — or at once on any other 4xx — the event
/// goes to the dead-letter list and the same person's later events are held behind it, so a bureau never
/// sees a person's events out of order. Other persons' events go on. One worker per department, so a slow
/// bureau delays only itself.
/// </summary>
public sealed class WebhookDeliveryRelay : OutboxRelay<WebhookDeliveryRelay>
{
    private readonly DeliveryStore deliveries;
    private readonly WebhookSecrets secrets;
    private readonly WebhookOptions options;
    private readonly ILogger<WebhookDeliveryRelay> logger;
    private readonly HttpClient http;
    private readonly ResiliencePipeline<WebhookAttempt> retry;
    private readonly ConcurrentDictionary<string, Task> workers = new(StringComparer.Ordinal);

    public WebhookDeliveryRelay(DeliveryStore deliveries, WebhookSecrets secrets, IOptions<ExchangeOptions> options, RelaySignal<WebhookDeliveryRelay> signal, TimeProvider clock,
        ILogger<WebhookDeliveryRelay> logger) : base(signal, clock, logger)
    {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.options = options.Value.Webhooks;
        this.logger = logger;
        // Its own client: the service defaults' standard pipeline would retry on its own terms; this one's budget is the bureau's.
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = this.options.Timeout,
        };
        retry = new ResiliencePipelineBuilder<WebhookAttempt>()
            .AddRetry(new RetryStrategyOptions<WebhookAttempt>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Retryable ?? true),
                MaxRetryAttempts = this.options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = this.options.FirstDelay,
                MaxDelay = this.options.MaxDelay,
            })
            .Build();
    }

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(5);

    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(30);

    /// <summary>Starts a worker for every department with events waiting and none running; the workers do the sending.</summary>
    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        var waiting = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT department_code FROM deliveries WHERE webhook_state = 'pending'", cancellationToken: ct));
        foreach (var code in waiting)
        {
            if (workers.TryGetValue(code, out var running) && !running.IsCompleted)
            {
                continue;
            }

            workers[code] = Task.Run(() => DrainAsync(code, ct), ct);
        }

        return 0;
    }

    private async Task DrainAsync(string code, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
                var target = await connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(
                    "SELECT webhook_url AS Url, webhook_secret AS Secret FROM departments WHERE code = @code AND status = 'active'", new { code }, cancellationToken: ct));
                if (target?.Url is null || target.Secret is null)
                {
                    return;
                }

                var batch = (await connection.QueryAsync<Pending>(new CommandDefinition(
                    PendingSql(deliveries.Database.Dialect), new { code }, cancellationToken: ct))).ToList();
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var item in batch)
                {
                    var earlier = await HoldIfBehindAsync(connection, code, item, ct);
                    if (earlier == WebhookStates.Pending)
                    {
                        // Redriven while this batch was read: start again from the lowest pending event.
                        break;
                    }

                    if (earlier is not null)
                    {
                        continue;
                    }

                    var attempts = 0;
                    // One span per event over all its attempts, a child of the event's stored context; each POST's client
                    // span under it puts its own traceparent header on the request (docs/tracing.md).
                    using var span = OutboxTracing.StartRow("popinfo.exchange.webhook deliver", ActivityKind.Internal, item.TraceParent, item.TraceState);
                    span?.SetTag("popinfo.department", code);
                    span?.SetTag("cloudevents.event_id", CloudEvents.Id(code, item.Sequence));
                    var outcome = await retry.ExecuteAsync(async token =>
                    {
                        attempts++;
                        return await PostAsync(target, code, item, token);
                    }, ct);
                    span?.SetTag("popinfo.webhook.attempts", attempts);
                    if (!outcome.Delivered)
                    {
                        span?.SetStatus(ActivityStatusCode.Error, outcome.Error);
                    }

                    var state = outcome.Delivered ? WebhookStates.Delivered : WebhookStates.Dead;
                    if (!outcome.Delivered)
                    {
                        logger.LogWarning("Webhook of department {Department}: event {Sequence} dead-lettered after {Attempts} attempt(s): {Error}", code, item.Sequence, attempts, outcome.Error);
                    }

                    await MarkAsync(connection, code, item.Sequence, state, attempts, outcome.Error, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The database is away, say: the relay's next round starts a new worker.
            logger.LogWarning(ex, "Webhook worker of department {Department} stopped", code);
        }
    }

    internal static string PendingSql(SqlDialect dialect) =>
        $"""
        SELECT sequence AS Sequence, person_id AS PersonId, event AS Event, traceparent AS TraceParent, tracestate AS TraceState
        FROM deliveries WHERE department_code = @code AND webhook_state = 'pending' ORDER BY sequence{dialect.Limit("100")}
        """;

    internal static string EarlierStateSql(SqlDialect dialect) =>
        "SELECT webhook_state FROM deliveries WHERE department_code = @code AND person_id = @personId " +
        $"AND webhook_state IN ('dead', 'held', 'pending') AND sequence < @sequence ORDER BY sequence{dialect.Limit("1")}";

    /// <summary>
    /// Holds the event when an earlier one of the same person is dead or held, and says what that earlier one is
    /// (null: none, send it). Under the department's lock, which a redrive takes too: otherwise a redrive could
    /// release the dead letter between this look and the hold, and the event would stay held behind nothing.
    /// </summary>
    private async Task<string?> HoldIfBehindAsync(System.Data.Common.DbConnection connection, string code, Pending item, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await deliveries.Database.Dialect.LockAsync(connection, transaction, DeadLetters.LockName(code), shared: false, ct);
        var earlier = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            EarlierStateSql(deliveries.Database.Dialect),
            new { code, personId = item.PersonId, sequence = item.Sequence }, transaction, cancellationToken: ct));
        if (earlier is WebhookStates.Dead or WebhookStates.Held)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE deliveries SET webhook_state = 'held', webhook_error = @error, webhook_at = @now WHERE department_code = @code AND sequence = @sequence",
                new { code, sequence = item.Sequence, error = "held behind an earlier dead letter of the same person", now = Clock.GetUtcNow() }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return earlier;
    }

    private async Task<WebhookAttempt> PostAsync(Target target, string code, Pending item, CancellationToken ct)
    {
        var id = CloudEvents.Id(code, item.Sequence);
        var timestamp = Clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(item.Event, Encoding.UTF8, CloudEvents.ContentType),
        };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secrets.Open(target.Secret!), id, timestamp, item.Event));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new WebhookAttempt(true, false, null);
            }

            var retryable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return new WebhookAttempt(false, retryable, $"HTTP {status}");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(false, true, ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookAttempt(false, true, "timeout");
        }
    }

    private Task<int> MarkAsync(System.Data.Common.DbConnection connection, string code, long sequence, string state, int attempts, string? error, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE deliveries SET webhook_state = @state, webhook_attempts = webhook_attempts + @attempts, webhook_error = @error, webhook_at = @now
            WHERE department_code = @code AND sequence = @sequence
            """,
            new { code, sequence, state, attempts, error, now = Clock.GetUtcNow() }, cancellationToken: ct));

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    private sealed record WebhookAttempt(bool Delivered, bool Retryable, string? Error);

    private sealed class Target
    {
        public string? Url { get; init; }
        public string? Secret { get; init; }
    }

    private sealed class Pending
    {
        public long Sequence { get; init; }
        public Guid PersonId { get; init; }
        public string Event { get; init; } = "";
        public string? TraceParent { get; init; }
        public string? TraceState { get; init; }
    }
}
