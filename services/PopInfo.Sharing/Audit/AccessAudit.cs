using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Sharing.Grants;

namespace PopInfo.Sharing.Audit;

/// <summary>
/// The access audit by group commit (ADR 0003): requests hand their rows to one writer through a channel and await them;
/// the writer takes what has queued — up to <see cref="SharingOptions.AuditBatchRows"/> rows, waiting up to
/// <see cref="SharingOptions.AuditBatchWait"/> for more once it has some — writes them in one transaction (the chain's lock
/// taken once, <see cref="PopInfo.ServiceDefaults.Data.AuditTable.AppendManyAsync"/>) and completes every waiter at commit.
/// A failed commit fails every waiter of that batch with <see cref="AccessAuditUnavailableException"/> and stores none of
/// its rows. A request cancelled before its batch is formed is left out (it will answer nothing, so nothing was read);
/// one cancelled later only stops waiting — its rows are written with the others'.
/// Logs and spans carry counts only: never a person, a name or a number.
/// </summary>
public sealed class AccessAudit(AccessAuditStore store, DepartmentUsage usage, IOptions<SharingOptions> options, ILogger<AccessAudit> logger) : IHostedService, IAsyncDisposable
{
    // The platform's own source, which telemetry exports: a span per commit, with counts only.
    private static readonly ActivitySource Source = new(Telemetry.SourceName);

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private Task? writer;

    // A request taken from the channel that did not fit in the batch being formed: it opens the next one.
    private Pending? carried;

    /// <summary>A test seam: runs inside each batch's transaction before its rows go in (to make a batch fail, or hold it).</summary>
    internal Func<IReadOnlyList<AccessAuditEntry>, CancellationToken, Task>? BeforeWrite { get; set; }

    /// <summary>Requests waiting for the writer to take them (tests wait on it; a single-reader channel does not count).</summary>
    internal int Queued => Volatile.Read(ref queued);

    private int queued;

    /// <summary>
    /// Stores the rows durably (committed), and counts the request's quota <paramref name="reservation"/> in the same
    /// transaction, before it returns; throws <see cref="AccessAuditUnavailableException"/> when they could not be stored
    /// (nothing counted), and <see cref="OperationCanceledException"/> when the caller stopped waiting.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<AccessAuditEntry> entries, QuotaReservation? reservation, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (entries.Count == 0)
        {
            return;
        }

        var pending = new Pending(entries, reservation, ct);
        Interlocked.Increment(ref queued);
        if (!queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref queued);
            throw new AccessAuditUnavailableException("The access audit has stopped: nothing more is stored.");
        }

        await pending.Completion.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Asks the writer to commit the departments' counts soon even without audit rows (a request refused after it was
    /// counted against its rate limit); one nudge waiting is enough.
    /// </summary>
    public void Nudge()
    {
        if (Interlocked.Exchange(ref nudged, 1) == 0)
        {
            Interlocked.Increment(ref queued);
            if (!queue.Writer.TryWrite(new Pending([], null, CancellationToken.None)))
            {
                Interlocked.Decrement(ref queued);
            }
        }
    }

    private int nudged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer = Task.Run(WriteBatchesAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Takes no more rows, and writes what has queued before it returns (or the host gives up waiting).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        if (writer is not null)
        {
            await writer.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (writer is not null)
        {
            await writer;
        }
    }

    private async Task WriteBatchesAsync()
    {
        var reader = queue.Reader;
        var batch = new List<Pending>();
        while (carried is not null || await reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = await TakeBatchAsync(reader, batch);
            var counts = usage.TakeUnwritten(batch.Select(p => p.Reservation).OfType<QuotaReservation>());
            if (rows.Count == 0 && counts.IsEmpty)
            {
                continue;
            }

            using var activity = Source.StartActivity("access-audit.commit");
            activity?.SetTag("popinfo.audit.rows", rows.Count);
            activity?.SetTag("popinfo.audit.requests", batch.Count);
            UsageTotals totals;
            try
            {
                totals = await store.AppendCommittedAsync(rows, BeforeWrite, counts, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The rows of this batch are not stored (the transaction rolled back): none of its requests may answer, and
                // none of their items is counted.
                // Only the kind of error and its code: a database's message may quote a row's values.
                usage.Finish(counts, null);
                var error = DatabaseErrors.Describe(e);
                logger.LogError("The access audit could not store a batch of {Rows} rows of {Requests} requests: {Error} {Code}",
                    rows.Count, batch.Count, e.GetType().Name, error?.Code);
                activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                var failure = new AccessAuditUnavailableException("The access audit could not be stored.", e);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(failure);
                }

                continue;
            }

            usage.Finish(counts, totals);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult();
            }
        }
    }

    /// <summary>
    /// What has queued, up to the batch's rows (a request's rows are never split; one request larger than a batch goes alone),
    /// waiting up to the batch wait for more while there is room. A request that does not fit is carried to the next batch.
    /// Requests cancelled meanwhile are left out.
    /// </summary>
    private async Task<List<AccessAuditEntry>> TakeBatchAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        var settings = options.Value;
        var rows = new List<AccessAuditEntry>();
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.AuditBatchWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            while (carried is not null || reader.TryRead(out carried))
            {
                var next = carried;
                if (rows.Count > 0 && rows.Count + next.Entries.Count > settings.AuditBatchRows)
                {
                    // Full: this one opens the next batch.
                    return rows;
                }

                carried = null;
                Interlocked.Decrement(ref queued);
                if (next.Entries.Count == 0)
                {
                    // A nudge: the counts go with this batch.
                    Volatile.Write(ref nudged, 0);
                    continue;
                }

                // Cancelled, or its reservation released meanwhile: left out. Taken: only this batch's commit ends it.
                if (next.Cancelled.IsCancellationRequested || (next.Reservation is { } reservation && !reservation.TryStartWriting()))
                {
                    usage.Release(next.Reservation);
                    next.Completion.TrySetCanceled(next.Cancelled);
                    continue;
                }

                batch.Add(next);
                rows.AddRange(next.Entries);
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (rows.Count == 0 || rows.Count >= settings.AuditBatchRows || left <= TimeSpan.Zero)
            {
                // Empty (all cancelled), full, or the wait is over.
                return rows;
            }

            using var wait = new CancellationTokenSource(left);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token))
                {
                    return rows;
                }
            }
            catch (OperationCanceledException)
            {
                return rows;
            }
        }
    }

    private sealed record Pending(IReadOnlyList<AccessAuditEntry> Entries, QuotaReservation? Reservation, CancellationToken Cancelled)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
