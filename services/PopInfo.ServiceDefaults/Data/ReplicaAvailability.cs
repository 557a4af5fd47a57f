using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// Whether a service's streaming replica takes its reads now (docs/database-replica.md, "When the replica is away"). A read
/// that cannot reach the replica — refused, timed out, the server starting up or shutting down — is read on the primary
/// instead, and the replica counts as away for <see cref="RetryAfter"/> (<c>PopInfo:Database:ReplicaRetryAfter</c>): reads
/// go straight to the primary meanwhile; the first read after it tries the replica again. A replica that answers but is
/// behind the primary by more than <c>PopInfo:Database:ReplicaMaxLag</c> (<see cref="ReplicaLagWatcher"/>) leaves its reads
/// to the primary too, until it has caught up. One warning per change of state.
/// </summary>
public sealed class ReplicaAvailability(string serviceName, TimeSpan retryAfter, TimeProvider clock, ILogger logger)
{
    /// <summary>The default of <c>PopInfo:Database:ReplicaRetryAfter</c>.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(15);

    private static readonly Meter Meter = new(Telemetry.SourceName);

    // Tagged by service: the embedded host runs the three in one process.
    private static readonly Counter<long> FallbackReads = Meter.CreateCounter<long>("popinfo.database.replica_fallback_reads",
        description: "Reads meant for the streaming replica that were read on the primary because the replica was away or too far behind.");

    private readonly Lock gate = new();
    private DateTimeOffset? awaySince;
    private DateTimeOffset retryAt;

    // awaySince is not null: read without the lock on every read's way, which mostly finds the replica there.
    private volatile bool away;

    // Behind by more than the allowed lag, as last measured (LaggingSince is not null).
    private volatile bool lagging;
    private DateTimeOffset? laggingSince;
    private TimeSpan behind;

    public string ServiceName { get; } = serviceName;

    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>When the replica was found away (null: it takes the reads).</summary>
    public DateTimeOffset? AwaySince
    {
        get
        {
            lock (gate)
            {
                return awaySince;
            }
        }
    }

    /// <summary>When the replica was found further behind than allowed (null: it is not, or it was not measured).</summary>
    public DateTimeOffset? LaggingSince
    {
        get
        {
            lock (gate)
            {
                return laggingSince;
            }
        }
    }

    /// <summary>How far behind the primary the replica was last measured (zero before any measure).</summary>
    public TimeSpan Behind
    {
        get
        {
            lock (gate)
            {
                return behind;
            }
        }
    }

    /// <summary>True unless the replica is further behind than allowed, or was found away less than <see cref="RetryAfter"/> ago.</summary>
    public bool ShouldTry
    {
        get
        {
            if (lagging)
            {
                return false;
            }

            if (!away)
            {
                return true;
            }

            lock (gate)
            {
                return awaySince is null || clock.GetUtcNow() >= retryAt;
            }
        }
    }

    /// <summary>The replica could not be reached (<paramref name="error"/>): away, or away again, for <see cref="RetryAfter"/>.</summary>
    public void Away(Exception error)
    {
        bool wasAway;
        lock (gate)
        {
            wasAway = awaySince is not null;
            var now = clock.GetUtcNow();
            awaySince ??= now;
            retryAt = now + RetryAfter;
            away = true;
        }

        if (!wasAway)
        {
            // The SQLSTATE or "npgsql" only: a driver's message can name the host and the user.
            logger.LogWarning("The {Service} database's replica is away ({Error}): its reads go to the primary, the replica is tried again every {RetryAfter}",
                ServiceName, DatabaseErrors.Describe(error)?.Code ?? error.GetType().Name, RetryAfter);
        }
    }

    /// <summary>
    /// The replica answered a connection's opening: it takes the reads again, if it was away and the back-off is over. Not
    /// during the back-off: a view taken before the replica went away can still open a pooled connection it left behind.
    /// </summary>
    public void Answered()
    {
        if (!away)
        {
            return;
        }

        DateTimeOffset? since;
        lock (gate)
        {
            since = awaySince;
            if (since is null || clock.GetUtcNow() < retryAt)
            {
                return;
            }

            awaySince = null;
            away = false;
        }

        if (since is not null)
        {
            logger.LogWarning("The {Service} database's replica is back after {Away}: its reads go to the replica again", ServiceName, clock.GetUtcNow() - since.Value);
        }
    }

    /// <summary>
    /// The replica measured <paramref name="measured"/> behind the primary, of <paramref name="allowed"/> at most: further
    /// behind, its reads go to the primary (their answers would be older than the service promises); within it, they come
    /// back to it.
    /// </summary>
    public void Measured(TimeSpan measured, TimeSpan allowed)
    {
        bool started, ended;
        DateTimeOffset? since;
        lock (gate)
        {
            behind = measured;
            since = laggingSince;
            var now = clock.GetUtcNow();
            started = measured > allowed && laggingSince is null;
            ended = measured <= allowed && laggingSince is not null;
            if (started)
            {
                laggingSince = now;
            }
            else if (ended)
            {
                laggingSince = null;
            }

            lagging = laggingSince is not null;
        }

        if (started)
        {
            logger.LogWarning("The {Service} database's replica is {Behind} behind the primary, more than the {Allowed} allowed: its reads go to the primary until it catches up",
                ServiceName, measured, allowed);
        }
        else if (ended)
        {
            logger.LogWarning("The {Service} database's replica has caught up after {Lagging} too far behind: its reads go to the replica again",
                ServiceName, clock.GetUtcNow() - since!.Value);
        }
    }

    /// <summary>One read answered by the primary in the replica's place.</summary>
    public void ReadOnPrimary() => FallbackReads.Add(1, new KeyValuePair<string, object?>("service", ServiceName));

    /// <summary>
    /// True when <paramref name="error"/> says the replica could not be reached, not that the read was wrong: no answer at all
    /// (a refused connection, a timeout, a broken socket: Npgsql's transient errors without a SQLSTATE), a connection
    /// exception (class 08), the server shutting down (57P01 admin, 57P02 crash), starting up or not accepting connections
    /// (57P03), or too many connections (53300). Not a query's error, and not a recovery conflict (40001, 40P01), which
    /// <see cref="RecoveryConflicts"/> reads again on the replica.
    /// </summary>
    public static bool IsUnreachable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException npgsql:
                    return npgsql.IsTransient;
            }
        }

        return false;
    }

    /// <summary>
    /// <see cref="IsUnreachable"/> for an error met after the connection opened, a timeout excepted: there it is the
    /// statement's own (a read slower than its command timeout), which the primary would not answer faster.
    /// </summary>
    public static bool IsCutOff(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException)
            {
                return false;
            }
        }

        return IsUnreachable(error);
    }
}
