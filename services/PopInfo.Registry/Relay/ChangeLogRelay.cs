using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Registry.Relay;

/// <summary>
/// Publishes the change log to the bus (the outbox relay). Reads entries after the last published
/// sequence and publishes them in waves: a wave holds at most one entry per person and is published
/// concurrently, each message confirmed by the broker; the next wave starts when the previous one
/// is confirmed, so entries of one person go out in sequence order. The published position is kept
/// in memory and saved at most every <see cref="SaveEvery"/>: while changes flow, with the first batch after that time;
/// once they stop, at the relay's next look (<see cref="IdlePoll"/>). A crash (or a stop)
/// publishes the unsaved entries again: at least once, never lost; consumers drop repeats by event
/// id (ADR 0001). Single-active: only the holder of its lease publishes, and every save of the position is fenced
/// (<see cref="OutboxRelay{TRelay}"/>); a fenced-out leader may have published a few entries again, never one out of order
/// (docs/architecture.md, "Several instances: single-active loops").
/// </summary>
public sealed class ChangeLogRelay(
    RelayPositionStore positions,
    PersonReadStore feed,
    IBus bus,
    RelaySignal<ChangeLogRelay> signal,
    LeaseFactory leases,
    TimeProvider clock,
    ILogger<ChangeLogRelay> logger) : OutboxRelay<ChangeLogRelay>(signal, leases.For(positions.Database, LeaseName), clock, logger)
{
    public const string PositionName = "person-changed";

    /// <summary>The relay's lease: one instance of the registry publishes the change log (docs/architecture.md, "Several instances").</summary>
    public const string LeaseName = "change-log-relay";
    private const int BatchSize = 500;

    /// <summary>
    /// Saving the position is a commit (an fsync); once per batch it cost as much as the publishing, and at a steady 200
    /// changes/s, when every change is a batch of its own, it doubled the database's commits.
    /// </summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromMilliseconds(250);
    private static readonly Meter Meter = new(Telemetry.SourceName);
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("popinfo.registry.changes_published");

    private RelayPosition? position;

    // Whether the last batch was read on the replica (CaughtUp).
    private bool lastReadFromReplica;

    protected override TimeSpan IdlePoll => TimeSpan.FromMilliseconds(500);

    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(30);

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        position ??= await RelayPosition.LoadAsync(positions, ct);
        var count = await PublishBatchAsync(position, ct);
        if (position.SaveDue(Clock.GetUtcNow(), SaveEvery))
        {
            await position.SaveAsync(positions, Clock.GetUtcNow(), Lease.Fence(), ct);
        }

        return count;
    }

    protected override bool CaughtUp(int sent) => IsCaughtUp(sent, BatchSize, lastReadFromReplica);

    /// <summary>
    /// A short batch read everything committed before it; a later commit signals the relay again (RelaySignal). Not so on a
    /// replica, which may not yet have replayed a change whose signal the relay has already taken: there the relay looks
    /// once more, as before, and only an empty batch ends its look (a change the replica still lacks waits for the poll).
    /// </summary>
    internal static bool IsCaughtUp(int sent, int batchSize, bool readFromReplica) => sent == 0 || (sent < batchSize && !readFromReplica);

    // After a failure, start again from the saved position (at least once: the unsaved ones go out again).
    protected override void Reset() => position = null;

    private async Task<int> PublishBatchAsync(RelayPosition position, CancellationToken ct)
    {
        // The change feed's own read: the same entries, in the same order.
        var (batch, fromReplica) = await feed.ReadChangesAsync(position.Published, BatchSize, ct);
        lastReadFromReplica = fromReplica;

        if (batch.Count == 0)
        {
            return 0;
        }

        // The batch's span links to every change's origin; each publish is a child of its own change's (docs/tracing.md).
        using var span = OutboxTracing.StartBatch("popinfo.registry.change-log publish", batch.Select(c => (c.TraceParent, c.TraceState)), batch.Count);
        foreach (var wave in Waves(batch))
        {
            // A publish caught by a broker restart can wait for its confirmation forever (seen in the e2e restart test:
            // the relay stalled with no error). Past the deadline the attempt fails, the relay forgets its in-memory
            // position and publishes again from the stored one: at least once, as always; consumers drop repeats.
            await Task.WhenAll(wave.Select(change => PublishAsync(change, span, ct))).WaitAsync(PublishDeadline, ct);
        }

        position.Published = batch[^1].Sequence;
        Published.Add(batch.Count);
        logger.LogDebug("Published change-log entries {First}..{Last}", batch[0].Sequence, position.Published);
        return batch.Count;
    }

    /// <summary>How long one wave's publications may wait for the broker's confirmations.</summary>
    private static readonly TimeSpan PublishDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Publishes one change inside a span that continues the trace it was applied in; MassTransit carries it on in the headers.</summary>
    private async Task PublishAsync(PersonChanged change, Activity? batch, CancellationToken ct)
    {
        using var span = OutboxTracing.StartRow("popinfo.registry.change publish", ActivityKind.Internal, change.TraceParent, change.TraceState, batch);
        span?.SetTag("popinfo.registry.sequence", change.Sequence);
        await bus.Publish(change, context =>
        {
            context.MessageId = change.EventId;
            context.CorrelationId = change.CorrelationId;
            context.Durable = true;
            context.Headers.Set("popinfo-sequence", change.Sequence);
        }, ct);
    }

    /// <summary>
    /// Splits a batch (in sequence order) into consecutive waves with no person twice in a wave: a new
    /// wave starts at the first entry whose person is already in the current one. Publishing a wave
    /// concurrently therefore never reorders one person's entries.
    /// </summary>
    internal static IEnumerable<List<PersonChanged>> Waves(IReadOnlyList<PersonChanged> batch)
    {
        var wave = new List<PersonChanged>();
        var persons = new HashSet<Guid>();
        foreach (var change in batch)
        {
            if (!persons.Add(change.PersonId))
            {
                yield return wave;
                wave = [];
                persons.Clear();
                persons.Add(change.PersonId);
            }

            wave.Add(change);
        }

        yield return wave;
    }
}
