using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Collection.Transmission;

/// <summary>
/// Sends submitted forms to the registry (the desk's outbox relay). A submission is written in the same
/// transaction as the form's "submitted" state; this relay sends each one to the registry's queue,
/// confirmed by the broker, and only then marks it sent. While the broker is away the submissions wait
/// in the database and the desk shows the forms pending; a crash after sending and before marking sends
/// again, and the registry applies a command id once however often it arrives.
/// </summary>
public sealed class SubmissionRelay(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database,
    IBus bus,
    RelaySignal<SubmissionRelay> signal,
    TimeProvider clock,
    ILogger<SubmissionRelay> logger) : OutboxRelay<SubmissionRelay>(signal, clock, logger)
{
    private const int BatchSize = 200;

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(1);

    // A collector is waiting, and a look at the local database and broker is cheap.
    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(5);

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        List<Pending> batch;
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            var rows = await connection.QueryAsync<SubmissionRow>(new CommandDefinition(
                "SELECT seq AS Seq, message AS Message, traceparent AS TraceParent, tracestate AS TraceState FROM submissions WHERE sent_at IS NULL ORDER BY seq LIMIT @BatchSize",
                new { BatchSize }, cancellationToken: ct));
            batch = [.. rows.Select(r => new Pending(r.Seq, JsonSerializer.Deserialize<ApplyRegistryCommand>(r.Message, Json.Options)!, r.TraceParent, r.TraceState))];
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        // The batch's span links to every form's request; each send is a child of its own form's request (docs/tracing.md).
        using var span = OutboxTracing.StartBatch("popinfo.collection.submissions send", batch.Select(b => (b.TraceParent, b.TraceState)), batch.Count);
        var endpoint = await bus.GetSendEndpoint(BusRegistration.RegistryCommands);
        // Different forms are independent commands: send them side by side, each confirmed by the broker.
        await Task.WhenAll(batch.Select(b => SendAsync(endpoint, b, span, ct)));

        var now = Clock.GetUtcNow();
        var seqs = batch.Select(b => b.Seq).ToArray();
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE submissions SET sent_at = @now WHERE {database.Dialect.In("seq", "seqs")}", new { now, seqs }, cancellationToken: ct));
        }

        await ShowSentAsync([.. batch.Select(b => b.Message.CommandId)], now, ct);
        logger.LogDebug("Sent {Count} submissions to the registry", batch.Count);
        return batch.Count;
    }

    /// <summary>Sends one submission inside a span that continues the trace of the request that submitted it; MassTransit carries it on in the message's headers.</summary>
    private static async Task SendAsync(ISendEndpoint endpoint, Pending submission, Activity? batch, CancellationToken ct)
    {
        using var span = OutboxTracing.StartRow("popinfo.collection.submission send", ActivityKind.Internal, submission.TraceParent, submission.TraceState, batch);
        span?.SetTag("popinfo.command.id", submission.Message.CommandId.ToString());
        await endpoint.Send(submission.Message, context =>
        {
            context.MessageId = submission.Message.CommandId;
            context.CorrelationId = submission.Message.CorrelationId;
            context.Durable = true;
        }, ct);
    }

    private sealed record Pending(long Seq, ApplyRegistryCommand Message, string? TraceParent, string? TraceState);

    private sealed class SubmissionRow
    {
        public long Seq { get; init; }
        public string Message { get; init; } = "";
        public string? TraceParent { get; init; }
        public string? TraceState { get; init; }
    }

    /// <summary>
    /// Shows "handed to the broker" on the forms. Only for the desk's eyes (the outbox row above is what
    /// counts), so a failure is logged and not retried: the answer sets it anyway. Rows are locked in one
    /// order (command id); <see cref="CommandAnsweredConsumer"/> locks one form per transaction, so the
    /// two cannot deadlock (a batched answer consumer did, in a benchmark: docs/benchmarks.md).
    /// </summary>
    private async Task ShowSentAsync(Guid[] commandIds, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE forms SET sent_at = @now WHERE id IN (
                    SELECT id FROM forms WHERE {database.Dialect.In("command_id", "commandIds")} AND sent_at IS NULL ORDER BY command_id{database.Dialect.ForUpdate})
                """, new { now, commandIds }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogInformation("Could not mark {Count} forms as sent ({Error}); their answers will", commandIds.Length, ex.GetType().Name);
        }
    }
}
