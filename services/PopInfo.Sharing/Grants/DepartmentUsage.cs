using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// Each department's rate limit (its grant's requests a minute) and daily quota (items per China day), decided in memory
/// and written to the database in the access audit's group commit (ADR 0003 decision 7): a request costs no statement of
/// its own, and its items are counted exactly when its audit rows are stored — a request whose audit failed counted none.
/// The database's counts are the truth every instance shares: a count is read again when this instance has not seen it
/// for <see cref="SharingOptions.CountsFreshFor"/>, and each commit returns the new totals. One instance decides exactly;
/// several can together pass a limit by what the others admitted since this one last saw the count (at most that long).
/// </summary>
public sealed class DepartmentUsage(
    QuotaStore quotas, [FromKeyedServices(SharingModule.Name)] RateLimitCounterStore limits, IOptions<SharingOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, UsageLedger> ledgers = new(StringComparer.Ordinal);

    private long FreshTicks => (long)(options.Value.CountsFreshFor.TotalSeconds * clock.TimestampFrequency);

    /// <summary>Counts one request of the department in its rate window; refused once the window's count passes <paramref name="permitLimit"/>.</summary>
    public async ValueTask<RateLimitDecision> HitAsync(string department, int permitLimit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var window = limits.WindowAt(SharingModule.GrantRequests, now);
        var ledger = Ledger(department);
        if (ledger.HitsStale(window, clock.GetTimestamp(), FreshTicks))
        {
            ledger.SawHits(window, await limits.HitsAsync(SharingModule.GrantRequests, department, window, ct), clock.GetTimestamp());
        }

        var hits = ledger.Hit(window);
        var allowed = hits <= permitLimit;
        return new RateLimitDecision(SharingModule.GrantRequests.Name, allowed, allowed ? 0 : window.SecondsLeft(now));
    }

    /// <summary>
    /// Reserves <paramref name="items"/> of today's quota (China day), all or none: refused when they would take the day past
    /// <paramref name="dailyQuota"/>. An allowed decision carries the reservation the request hands to the audit, or releases.
    /// </summary>
    public async ValueTask<QuotaDecision> TryReserveAsync(string department, int items, int dailyQuota, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(items);
        var ledger = Ledger(department);
        while (true)
        {
            var now = clock.GetUtcNow();
            var day = ChinaTime.DateOf(now);
            if (ledger.UseStale(day, clock.GetTimestamp(), FreshTicks))
            {
                var writesBegun = ledger.UseWritesBegun;
                ledger.SawUse(day, await quotas.UsedAsync(department, day, ct), clock.GetTimestamp(), writesBegun);
            }

            // Null: the day turned between the read and now; read the new one.
            if (ledger.TryReserve(day, items, dailyQuota) is not { } result)
            {
                continue;
            }

            return result.Reserved
                ? new QuotaDecision(department, day, true, result.Used, dailyQuota, 0) { Reservation = new QuotaReservation(department, day, items) }
                : new QuotaDecision(department, day, false, result.Used, dailyQuota, DailyQuota.SecondsToNextDay(now));
        }
    }

    /// <summary>Gives a reservation's items back unless the audit's writer has taken it (then its commit decides).</summary>
    public void Release(QuotaReservation? reservation)
    {
        if (reservation is not null && reservation.TryRelease())
        {
            Ledger(reservation.Department).Unreserve(reservation.Day, reservation.Items, null, clock.GetTimestamp(), written: false);
        }
    }

    /// <summary>What one commit writes: every department's hits not yet written, and the items of the reservations it took.</summary>
    internal UsageWrite TakeUnwritten(IEnumerable<QuotaReservation> taken)
    {
        var hits = new List<HitsWrite>();
        foreach (var (department, ledger) in ledgers.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (ledger.TakeUnwrittenHits() is { } unwritten)
            {
                hits.Add(new HitsWrite(department, unwritten.Window, unwritten.Hits));
            }
        }

        var reservations = taken.ToList();
        // Ordered by department and day: instances lock the counters' rows in the same order, so never each other.
        var days = reservations.GroupBy(r => (r.Department, r.Day)).OrderBy(g => g.Key.Department, StringComparer.Ordinal).ThenBy(g => g.Key.Day)
            .Select(g => new ItemsWrite(g.Key.Department, g.Key.Day, g.Sum(r => (long)r.Items))).ToList();
        // From here the commit's items may be in what the database counts (UsageLedger.SawUse).
        foreach (var reservation in reservations)
        {
            Ledger(reservation.Department).BeginWriting(reservation.Day, reservation.Items);
        }

        return new UsageWrite(hits, days, reservations);
    }

    /// <summary>The commit ended: the totals when it committed, null when it failed (hits are written again, reservations given back).</summary>
    internal void Finish(UsageWrite write, UsageTotals? totals)
    {
        var now = clock.GetTimestamp();
        for (var k = 0; k < write.Hits.Count; k++)
        {
            var hits = write.Hits[k];
            Ledger(hits.Department).HitsWritten(hits.Window, hits.Hits, totals?.Hits[k], now);
        }

        foreach (var reservation in write.Reservations)
        {
            Ledger(reservation.Department).Unreserve(reservation.Day, reservation.Items, totals?.Days[(reservation.Department, reservation.Day)], now, written: true);
            reservation.Finish();
        }
    }

    private UsageLedger Ledger(string department) => ledgers.GetOrAdd(department, _ => new UsageLedger());
}

/// <summary>What one audit commit writes of the departments' counts (<see cref="DepartmentUsage.TakeUnwritten"/>).</summary>
internal sealed record UsageWrite(IReadOnlyList<HitsWrite> Hits, IReadOnlyList<ItemsWrite> Days, IReadOnlyList<QuotaReservation> Reservations)
{
    public bool IsEmpty => Hits.Count == 0 && Days.Count == 0;
}

internal sealed record HitsWrite(string Department, FixedWindow Window, long Hits);

internal sealed record ItemsWrite(string Department, DateOnly Day, long Items);

internal sealed record UsageTotals(IReadOnlyList<long> Hits, IReadOnlyDictionary<(string, DateOnly), long> Days);
