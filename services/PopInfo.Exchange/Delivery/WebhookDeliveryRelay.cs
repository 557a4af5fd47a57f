using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Webhooks;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// POSTs each department's events to its webhook, one at a time in sequence order, signed
/// (<see cref="WebhookSignature"/>). A failed POST (network, timeout, 408, 429, 5xx) is retried with
/// exponential backoff and jitter (Polly) up to the budget; then — or at once on any other 4xx — the event
/// goes to the dead-letter list and the same person's later events are held behind it, so a bureau never
/// sees a person's events out of order. Other persons' events go on. One worker per department, so a slow
/// bureau delays only itself. Single-active: only the holder of its lease runs workers, each of which stops when the
/// lease is no longer held and writes each outcome fenced (<see cref="OutboxRelay{TRelay}"/>).
/// </summary>
public sealed class WebhookDeliveryRelay : OutboxRelay<WebhookDeliveryRelay>
{
    // Why an event waits: a person's events reach the bureau in order, so nothing of theirs goes past a dead letter.
    private const string HeldError = "held behind an earlier dead letter of the same person";

    private readonly WebhookDeliveryStore store;
    private readonly WebhookSecrets secrets;
    private readonly WebhookOptions options;
    private readonly ILogger<WebhookDeliveryRelay> logger;
    private readonly HttpClient http;
    private readonly ResiliencePipeline<WebhookAttempt> retry;
    private readonly ConcurrentDictionary<string, Task> workers = new(StringComparer.Ordinal);

    // The lease of the exchange's delivery loops, shared with the projector whose signal wakes this relay.
    public WebhookDeliveryRelay(WebhookDeliveryStore store, WebhookSecrets secrets, IOptions<ExchangeOptions> options, RelaySignal<WebhookDeliveryRelay> signal,
        LeaseFactory leases, TimeProvider clock, ILogger<WebhookDeliveryRelay> logger) : base(signal, leases.For(store.Database, ChangeProjector.LeaseName), clock, logger)
    {
        this.store = store;
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
        var waiting = await store.WaitingAsync(ct);
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
                // One connection for the round: its reads, each event's hold and outcome.
                await using var work = await store.Database.OpenAsync(ct);
                var target = await WebhookDeliveryStore.TargetAsync(work, code, ct);
                if (target?.Url is null || target.Secret is null)
                {
                    return;
                }

                var batch = await WebhookDeliveryStore.PendingAsync(work, code, ct);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var item in batch)
                {
                    if (!Lease.IsHeld)
                    {
                        // Another instance leads now (or this one could not renew in time): its workers carry on from what is stored.
                        return;
                    }

                    var earlier = await WebhookDeliveryStore.HoldIfBehindAsync(work, code, item, HeldError, Clock, ct);
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

                    await WebhookDeliveryStore.MarkAsync(work, code, item.Sequence, state, attempts, outcome.Error, Clock.GetUtcNow(), Lease.Fence(), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (LeaseLostException)
        {
            // The event was sent, perhaps a second time beside the new leader's (at least once; the bureau drops repeats by id).
            Lease.StepDown();
        }
        catch (Exception ex)
        {
            // The database is away, say: the relay's next round starts a new worker.
            logger.LogWarning(ex, "Webhook worker of department {Department} stopped", code);
        }
    }

    private async Task<WebhookAttempt> PostAsync(WebhookDeliveryStore.Target target, string code, WebhookDeliveryStore.Pending item, CancellationToken ct)
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

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    private sealed record WebhookAttempt(bool Delivered, bool Retryable, string? Error);
}
