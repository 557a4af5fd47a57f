using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// One department's counts on this instance, under one lock: its requests in the current rate window and its items on the
/// current China day. Each count is what the database held when last seen (every instance's commits), plus what this
/// instance has counted since and not yet committed. A count not seen for a while is stale: the caller reads the database
/// again before it decides (<see cref="DepartmentUsage"/>).
/// </summary>
internal sealed class UsageLedger
{
    private readonly Lock gate = new();

    // The rate window (by its start): hits in a commit now are the count's Pending; hits not yet written are apart.
    private readonly PeriodCount<long> window = new(long.MinValue);
    private FixedWindow current;
    private long hitsUnwritten;

    // The quota day: items reserved by requests not yet committed are the count's Pending. Of those, the items in a commit
    // now (dayWriting) may already be in what the database counts: a read of the database while one is in flight would
    // count them twice (a refusal once said 32 used of 30), so such a read is not taken — the commit's own total comes
    // instead. dayWrites numbers the commits begun, so a read that started before one began is known.
    private readonly PeriodCount<DateOnly> day = new(DateOnly.MinValue);
    private long dayWriting;
    private long dayWrites;

    public bool HitsStale(FixedWindow of, long now, long freshTicks)
    {
        lock (gate)
        {
            return window.Stale(of.Start, now, freshTicks);
        }
    }

    /// <summary>What the database counted in the window (read or returned by a commit): kept when newer than what is known.</summary>
    public void SawHits(FixedWindow of, long counted, long now)
    {
        lock (gate)
        {
            if (window.Saw(of.Start, counted, now))
            {
                // A new window: hits of the old one no longer decide anything.
                (current, hitsUnwritten) = (of, 0);
            }
        }
    }

    /// <summary>Counts one request; the window's count with it.</summary>
    public long Hit(FixedWindow of)
    {
        lock (gate)
        {
            if (window.Period != of.Start)
            {
                window.Start(of.Start);
                (current, hitsUnwritten) = (of, 0);
            }

            hitsUnwritten++;
            return window.Total + hitsUnwritten;
        }
    }

    /// <summary>The hits not yet written, now being written (none: null).</summary>
    public (FixedWindow Window, long Hits)? TakeUnwrittenHits()
    {
        lock (gate)
        {
            if (hitsUnwritten == 0)
            {
                return null;
            }

            var hits = hitsUnwritten;
            window.Pending += hits;
            hitsUnwritten = 0;
            return (current, hits);
        }
    }

    /// <summary>The commit that wrote <paramref name="hits"/> ended: committed with the window's new total, or failed (written again later).</summary>
    public void HitsWritten(FixedWindow of, long hits, long? total, long now)
    {
        lock (gate)
        {
            if (window.Ended(of.Start, hits, total, now) && total is null)
            {
                hitsUnwritten += hits;
            }
        }
    }

    /// <summary>Whether the day's count must be read again: not seen, or not lately — unless a commit of its items is in flight (its total will come).</summary>
    public bool UseStale(DateOnly today, long now, long freshTicks)
    {
        lock (gate)
        {
            return day.Stale(today, now, freshTicks) && !(day.Period == today && day.Seen && dayWriting > 0);
        }
    }

    /// <summary>How many commits of the day's items have begun: read before reading the database, handed to <see cref="SawUse"/>.</summary>
    public long UseWritesBegun
    {
        get
        {
            lock (gate)
            {
                return dayWrites;
            }
        }
    }

    /// <summary>
    /// What the database counted on the day, read when <paramref name="writesBegun"/> commits had begun: kept when newer than
    /// what is known, and when no commit of the day's items began since or is still in flight (it may or may not be in it).
    /// </summary>
    public void SawUse(DateOnly today, long used, long now, long writesBegun)
    {
        lock (gate)
        {
            if (day.Period == today && (dayWrites != writesBegun || dayWriting > 0))
            {
                return;
            }

            // A new day drops the old day's reservations here: those still being written count there.
            if (day.Saw(today, used, now))
            {
                dayWriting = 0;
            }
        }
    }

    /// <summary>A commit takes reserved items of the day into the database.</summary>
    public void BeginWriting(DateOnly of, long items)
    {
        lock (gate)
        {
            if (day.Period == of)
            {
                dayWriting += items;
                dayWrites++;
            }
        }
    }

    /// <summary>
    /// Reserves the items when the day's count stays within the quota with them: (reserved, the count with or without them);
    /// null when the day has not been seen (the caller reads it and tries again).
    /// </summary>
    public (bool Reserved, long Used)? TryReserve(DateOnly today, int items, int dailyQuota)
    {
        lock (gate)
        {
            if (day.Period != today || !day.Seen)
            {
                return null;
            }

            if (day.Total + items > dailyQuota)
            {
                return (false, day.Total);
            }

            day.Pending += items;
            return (true, day.Total);
        }
    }

    /// <summary>
    /// Reserved items leave: counted in the database (with the day's new total) or given back (null) — by the commit that
    /// took them (<paramref name="written"/>: <see cref="BeginWriting"/> counted them in flight), or released before one did.
    /// </summary>
    public void Unreserve(DateOnly of, int items, long? total, long now, bool written)
    {
        lock (gate)
        {
            if (day.Ended(of, items, total, now) && written)
            {
                dayWriting -= items;
            }
        }
    }

    /// <summary>
    /// A count over one period (a window, a day): what the database held when last seen, and what this instance has
    /// pending on top of it. Periods only move forward; news of an older one is ignored.
    /// </summary>
    private sealed class PeriodCount<TPeriod>(TPeriod none) where TPeriod : struct, IComparable<TPeriod>, IEquatable<TPeriod>
    {
        private const long Unseen = long.MinValue;

        private long committed;
        private long seenAt = Unseen;

        public TPeriod Period { get; private set; } = none;

        public long Pending { get; set; }

        public bool Seen => seenAt != Unseen;

        public long Total => committed + Pending;

        public bool Stale(TPeriod period, long now, long freshTicks) => !Period.Equals(period) || !Seen || now - seenAt > freshTicks;

        /// <summary>Starts a period afresh, unseen.</summary>
        public void Start(TPeriod period) => (Period, committed, Pending, seenAt) = (period, 0, 0, Unseen);

        /// <summary>The database's count of a period; true when it started a new period.</summary>
        public bool Saw(TPeriod period, long counted, long now)
        {
            var started = false;
            if (!Period.Equals(period))
            {
                if (period.CompareTo(Period) < 0)
                {
                    return false;
                }

                Start(period);
                started = true;
            }

            committed = Math.Max(committed, counted);
            seenAt = now;
            return started;
        }

        /// <summary>A pending amount's commit ended (with the new total, or failed: null); false when its period has passed.</summary>
        public bool Ended(TPeriod period, long amount, long? total, long now)
        {
            if (!Period.Equals(period))
            {
                return false;
            }

            Pending -= amount;
            if (total is { } counted)
            {
                committed = Math.Max(committed, counted);
                seenAt = now;
            }

            return true;
        }
    }
}
