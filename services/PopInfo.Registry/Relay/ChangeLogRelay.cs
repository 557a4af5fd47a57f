using System.Diagnostics.Metrics;
using System.Text.Json;
using Dapper;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Relay;

/// <summary>
/// Publishes the change log to the bus (the outbox relay). Reads entries after the last published
/// sequence, publishes them one after another in sequence order, each confirmed by the broker, and
/// only then moves the position forward. A crash between publishing
/// and moving the position publishes those entries again: at least once, never lost; consumers
/// drop repeats by event id (ADR 0001).
/// </summary>
public sealed class ChangeLogRelay(
    [FromKeyedServices(RegistryModule.Name)] ServiceDatabase database,
    IBus bus,
    ChangeLogSignal signal,
    TimeProvider clock,
    ILogger<ChangeLogRelay> logger) : BackgroundService
{
    public const string PositionName = "person-changed";
    private const int BatchSize = 500;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);
    private static readonly Meter Meter = new(Telemetry.SourceName);
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("popinfo.registry.changes_published");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await PublishBatchAsync(stoppingToken);
                failures = 0;
                if (count == 0)
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Broker or database away: back off (0.5 s doubling to 30 s) and try the same entries again.
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(failures - 1, 6))));
                logger.LogWarning(ex, "Change-log relay failed {Failures} time(s); retrying in {Delay}", failures, delay);
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<int> PublishBatchAsync(CancellationToken ct)
    {
        long position;
        List<PersonChanged> batch;
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            position = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT last_sequence FROM relay_position WHERE name = @PositionName", new { PositionName }, cancellationToken: ct));
            var rows = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT event FROM change_log WHERE sequence > @position ORDER BY sequence LIMIT @BatchSize",
                new { position, BatchSize }, cancellationToken: ct));
            batch = [.. rows.Select(e => JsonSerializer.Deserialize<PersonChanged>(e, Json.Options)!)];
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        // One at a time, in sequence order: every consumer then sees the changes in the feed's total
        // order, not only in order per person. The cost (one broker confirmation per message) is
        // measured in docs/benchmarks.md.
        foreach (var change in batch)
        {
            await bus.Publish(change, context =>
            {
                context.MessageId = change.EventId;
                context.CorrelationId = change.CorrelationId;
                context.Durable = true;
                context.Headers.Set("popinfo-sequence", change.Sequence);
            }, ct);
        }

        var last = batch[^1].Sequence;
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE relay_position SET last_sequence = @last, updated_at = @now WHERE name = @PositionName AND last_sequence < @last",
                new { last, now = clock.GetUtcNow(), PositionName }, cancellationToken: ct));
        }

        Published.Add(batch.Count);
        logger.LogDebug("Published change-log entries {First}..{Last}", batch[0].Sequence, last);
        return batch.Count;
    }
}
