using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Data;

/// <summary>
/// A replica's reads falling back to the primary while it is away (<see cref="ReplicaAvailability"/>, <see cref="ServiceDatabase.Reads"/>):
/// which errors count as "away", the back-off on a fake clock, the views' choice, the warnings and the counter. On a real
/// replica stopped and started again: tests/PopInfo.IntegrationTests/Replica/ReplicaFallbackTests.
/// </summary>
public sealed class ReplicaFallbackTests : IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(15);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-replica-fallback-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider clock = new();
    private readonly WarningLog log = new();

    // A service name per test: the counter is the process's, and tests run in parallel.
    private readonly string service = "replica-test-" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("57P01", true)] // admin_shutdown: the replica is being stopped
    [InlineData("57P02", true)] // crash_shutdown
    [InlineData("57P03", true)] // cannot_connect_now: starting up, or shutting down
    [InlineData("08006", true)] // connection_failure
    [InlineData("08001", true)] // sqlclient_unable_to_establish_sqlconnection
    [InlineData("53300", true)] // too_many_connections
    [InlineData("40001", false)] // a recovery conflict: read again on the replica (RecoveryConflicts)
    [InlineData("40P01", false)]
    [InlineData("57014", false)] // query_canceled
    [InlineData("42P01", false)] // undefined_table: a query's error, the same on the primary
    [InlineData("28P01", false)] // invalid_password: a setting's error, not an outage
    public void Only_a_replica_that_cannot_be_reached_counts_as_away(string sqlState, bool unreachable) =>
        Assert.Equal(unreachable, ReplicaAvailability.IsUnreachable(new PostgresException("m", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void No_answer_at_all_counts_as_away_and_other_errors_do_not()
    {
        Assert.True(ReplicaAvailability.IsUnreachable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(ReplicaAvailability.IsUnreachable(new NpgsqlException("The operation has timed out", new TimeoutException())));
        Assert.True(ReplicaAvailability.IsUnreachable(new InvalidOperationException("wrapped", new PostgresException("m", "FATAL", "FATAL", "57P03"))));
        Assert.False(ReplicaAvailability.IsUnreachable(new NpgsqlException("not transient")));
        Assert.False(ReplicaAvailability.IsUnreachable(new InvalidOperationException("no database error")));
    }

    [Fact]
    public void The_replica_found_away_is_left_for_the_back_off_then_tried_again_and_each_change_is_said_once()
    {
        var availability = Availability();
        Assert.True(availability.ShouldTry);
        var since = clock.GetUtcNow();

        availability.Away(Refused());
        availability.Away(Refused());
        Assert.False(availability.ShouldTry);
        // An opening that succeeds during the back-off (a pooled connection the replica left behind) does not bring it back.
        availability.Answered();
        Assert.Equal(since, availability.AwaySince);
        clock.Advance(RetryAfter - TimeSpan.FromMilliseconds(1));
        Assert.False(availability.ShouldTry);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(availability.ShouldTry);

        // Tried again and still away: another whole back-off, counted from this try; still away since the first.
        availability.Away(Refused());
        clock.Advance(RetryAfter - TimeSpan.FromMilliseconds(1));
        Assert.False(availability.ShouldTry);
        Assert.Equal(since, availability.AwaySince);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        availability.Answered();
        availability.Answered();
        Assert.Null(availability.AwaySince);
        Assert.True(availability.ShouldTry);
        Assert.Equal(["away", "back"], log.Warnings.Select(w => w.Contains("is away", StringComparison.Ordinal) ? "away" : w.Contains("is back", StringComparison.Ordinal) ? "back" : w));
        // The service and the SQLSTATE (or "npgsql"), never the driver's message, which can name hosts and users.
        Assert.All(log.Warnings, w => Assert.Contains(service, w, StringComparison.Ordinal));
        Assert.DoesNotContain("127.0.0.1", log.Warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_that_cannot_reach_the_replica_is_read_on_the_primary_which_takes_the_reads_until_the_back_off_ends()
    {
        // The replica at a port where nothing listens: a real refused connection.
        var database = new ServiceDatabase(service, Sqlite("primary"), PostgreSqlDialect.Create("Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d;Timeout=5", service),
            Availability());
        using var reads = new FallbackReads(service);

        var first = database.Reads;
        Assert.True(first.IsReplica);
        await using (var connection = await first.OpenConnectionAsync())
        {
            Assert.Equal(PrimaryFile, ((SqliteConnection)connection).DataSource);
        }

        Assert.False(first.IsReplica);
        Assert.NotNull(database.ReplicaAvailability!.AwaySince);

        // During the back-off a new view reads the primary from the start, and so does a snapshot.
        var during = database.Reads;
        Assert.False(during.IsReplica);
        await using (var snapshot = await during.BeginSnapshotAsync(default))
        {
            Assert.Equal(PrimaryFile, ((SqliteConnection)snapshot.Connection).DataSource);
        }

        clock.Advance(RetryAfter);
        Assert.True(database.Reads.IsReplica);
        Assert.Equal(2, reads.Count);
    }

    [Fact]
    public async Task After_the_back_off_a_replica_that_answers_takes_the_reads_again_and_a_view_never_goes_back_to_it()
    {
        var database = new ServiceDatabase(service, Sqlite("primary"), Sqlite("replica"), Availability());
        var availability = database.ReplicaAvailability!;
        availability.Away(Refused());
        using var reads = new FallbackReads(service);

        // Taken during the back-off: this view stays on the primary even once the replica is back.
        var pinned = database.Reads;
        clock.Advance(RetryAfter);
        var after = database.Reads;
        Assert.True(after.IsReplica);
        await using (var connection = await after.OpenConnectionAsync())
        {
            Assert.Equal(ReplicaFile, ((SqliteConnection)connection).DataSource);
        }

        Assert.Null(availability.AwaySince);
        await using (var connection = await pinned.OpenConnectionAsync())
        {
            Assert.Equal(PrimaryFile, ((SqliteConnection)connection).DataSource);
        }

        Assert.Equal(1, reads.Count);
        Assert.Equal(["away", "back"], log.Warnings.Select(w => w.Contains("is away", StringComparison.Ordinal) ? "away" : "back"));
    }

    [Fact]
    public void A_replica_too_far_behind_leaves_its_reads_to_the_primary_until_it_has_caught_up_and_each_change_is_said_once()
    {
        var allowed = TimeSpan.FromSeconds(30);
        var availability = Availability();
        var database = new ServiceDatabase(service, Sqlite("primary"), Sqlite("replica"), availability);

        availability.Measured(TimeSpan.FromSeconds(30), allowed);
        Assert.True(database.Reads.IsReplica);
        Assert.Null(availability.LaggingSince);

        var since = clock.GetUtcNow();
        availability.Measured(TimeSpan.FromSeconds(31), allowed);
        clock.Advance(TimeSpan.FromSeconds(5));
        availability.Measured(TimeSpan.FromSeconds(36), allowed);
        Assert.False(availability.ShouldTry);
        Assert.False(database.Reads.IsReplica);
        Assert.Equal(since, availability.LaggingSince);
        Assert.Equal(TimeSpan.FromSeconds(36), availability.Behind);
        // A connection that opens on the replica meanwhile does not bring it back: only a measure within the allowed lag does.
        availability.Answered();
        Assert.False(database.Reads.IsReplica);

        availability.Measured(TimeSpan.FromSeconds(2), allowed);
        Assert.True(availability.ShouldTry);
        Assert.True(database.Reads.IsReplica);
        Assert.Null(availability.LaggingSince);
        Assert.Equal(["behind", "caught up"], log.Warnings.Select(w => w.Contains("more than the", StringComparison.Ordinal) ? "behind" : "caught up"));
    }

    [Fact]
    public void Without_a_replica_the_reads_are_the_database_itself()
    {
        var database = new ServiceDatabase(service, Sqlite("primary"));
        Assert.Same(database, database.Reads);
        Assert.False(database.Reads.IsReplica);
        Assert.Null(database.ReplicaAvailability);
    }

    private string PrimaryFile => Path.Combine(folder, "primary", service + ".db");

    private string ReplicaFile => Path.Combine(folder, "replica", service + ".db");

    private SqliteDialect Sqlite(string name) => SqliteDialect.Create(Path.Combine(folder, name), service);

    private ReplicaAvailability Availability() => new(service, RetryAfter, clock, log);

    private static NpgsqlException Refused() =>
        new("Failed to connect to 127.0.0.1:5442", new SocketException((int)SocketError.ConnectionRefused));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The warnings written, formatted.</summary>
    private sealed class WarningLog : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(formatter(state, exception));
                }
            }
        }
    }

    /// <summary>The fallback reads counted for one service (<c>popinfo.database.replica_fallback_reads</c>).</summary>
    private sealed class FallbackReads : IDisposable
    {
        private readonly MeterListener listener = new();
        private long count;

        public FallbackReads(string service)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Telemetry.SourceName && instrument.Name == "popinfo.database.replica_fallback_reads")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "service" && Equals(tag.Value, service))
                    {
                        Interlocked.Add(ref count, value);
                    }
                }
            });
            listener.Start();
        }

        public long Count => Interlocked.Read(ref count);

        public void Dispose() => listener.Dispose();
    }
}
