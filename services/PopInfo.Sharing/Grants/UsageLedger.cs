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

    // The rate window: hits the database held (as last seen), hits in a commit now, hits not yet written.
    private FixedWindow current = new(long.MinValue, long.MinValue);
    private long windowCommitted;
    private long hitsWriting;
    private long hitsUnwritten;
    private long windowSeenAt = long.MinValue;

    // The quota day: items the database held (as last seen), items reserved by requests not yet committed.
    private DateOnly day;
    private long dayCommitted;
    private long reserved;
    private long daySeenAt = long.MinValue;

    public bool HitsStale(FixedWindow window, long now, long freshTicks)
    {
        lock (gate)
        {
            return current != window || windowSeenAt == long.MinValue || now - windowSeenAt > freshTicks;
        }
    }

    /// <summary>What the database counted in the window (read or returned by a commit): kept when newer than what is known.</summary>
    public void SawHits(FixedWindow window, long counted, long now)
    {
        lock (gate)
        {
            if (current != window)
            {
                if (window.Start < current.Start)
                {
                    return;
                }

                // A new window: hits of the old one no longer decide anything.
                (current, windowCommitted, hitsWriting, hitsUnwritten) = (window, 0, 0, 0);
            }

            windowCommitted = Math.Max(windowCommitted, counted);
            windowSeenAt = now;
        }
    }

    /// <summary>Counts one request; the window's count with it.</summary>
    public long Hit(FixedWindow window)
    {
        lock (gate)
        {
            if (current != window)
            {
                (current, windowCommitted, hitsWriting, hitsUnwritten, windowSeenAt) = (window, 0, 0, 0, long.MinValue);
            }

            hitsUnwritten++;
            return windowCommitted + hitsWriting + hitsUnwritten;
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
            hitsWriting += hits;
            hitsUnwritten = 0;
            return (current, hits);
        }
    }

    /// <summary>The commit that wrote <paramref name="hits"/> ended: committed with the window's new total, or failed (written again later).</summary>
    public void HitsWritten(FixedWindow window, long hits, long? total, long now)
    {
        lock (gate)
        {
            if (current != window)
            {
                return;
            }

            hitsWriting -= hits;
            if (total is { } counted)
            {
                windowCommitted = Math.Max(windowCommitted, counted);
                windowSeenAt = now;
            }
            else
            {
                hitsUnwritten += hits;
            }
        }
    }

    public bool UseStale(DateOnly today, long now, long freshTicks)
    {
        lock (gate)
        {
            return day != today || daySeenAt == long.MinValue || now - daySeenAt > freshTicks;
        }
    }

    /// <summary>What the database counted on the day (read or returned by a commit): kept when newer than what is known.</summary>
    public void SawUse(DateOnly today, long used, long now)
    {
        lock (gate)
        {
            if (day != today)
            {
                if (today < day)
                {
                    return;
                }

                // A new day: reservations of the old one, still being written, count there, not here.
                (day, dayCommitted, reserved) = (today, 0, 0);
            }

            dayCommitted = Math.Max(dayCommitted, used);
            daySeenAt = now;
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
            if (day != today || daySeenAt == long.MinValue)
            {
                return null;
            }

            if (dayCommitted + reserved + items > dailyQuota)
            {
                return (false, dayCommitted + reserved);
            }

            reserved += items;
            return (true, dayCommitted + reserved);
        }
    }

    /// <summary>Reserved items leave: counted in the database (with the day's new total) or given back (null).</summary>
    public void Unreserve(DateOnly of, int items, long? total, long now)
    {
        lock (gate)
        {
            if (day != of)
            {
                return;
            }

            reserved -= items;
            if (total is { } used)
            {
                dayCommitted = Math.Max(dayCommitted, used);
                daySeenAt = now;
            }
        }
    }
}
