using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PopInfo.Analytics;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.UnitTests.Projections;

/// <summary>
/// The follower against a registry answering from memory: a rebuild reads the snapshot in batches, then the feed from the
/// snapshot's sequence up to the registry's last; a cut-off snapshot leaves the projection not ready and unfinished; a
/// start on a built store loads it and reads the feed only once the watermark has stood below the registry for GapWait.
/// The follower's lease is a row of a SQLite file migrated as the analytics service's.
/// </summary>
public class ProjectionFollowerTests : IAsyncLifetime
{
    private static readonly SnapshotMapping<string> Mapping =
        SnapshotMapping.Of<JsonElement, string>(["sex"], history: false, line => $"{line.PersonId:N}/{line.Version}");

    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-follower-" + Guid.NewGuid().ToString("N")[..12]);
    private ServiceDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = new ServiceDatabase(AnalyticsModule.Name, SqliteDialect.Create(folder, AnalyticsModule.Name));
        await DatabaseMigrator.MigrateAsync(database, typeof(AnalyticsModule).Assembly, NullLogger.Instance, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_rebuild_loads_the_snapshot_then_reads_the_feed_up_to_the_registry_s_last_sequence()
    {
        var registry = new MemoryRegistry(snapshotSequence: 5, snapshotVersions: 3, lastSequence: 7, trailer: true);
        var follower = new MemoryFollower(registry, NewLease());
        Assert.True(await follower.Lease.HoldAsync(CancellationToken.None));

        await follower.RebuildAsync(CancellationToken.None);

        Assert.Equal(["reset", "batch 2", "batch 1", "finish 5", "load", "changes 6,7"], follower.Steps);
        Assert.Equal(5, follower.Rows.Count);
        Assert.Equal(7, follower.Watermark.Current);
        Assert.True(follower.Readiness.IsReady);
        Assert.Equal(7, follower.RegistryLastSequence);
        Assert.Equal(0.0, follower.SecondsBehind);
        Assert.Contains("/api/v1/changes?after=5&limit=1000", registry.Requests);
        Assert.Contains("/api/v1/snapshot?fields=sex&history=false", registry.Requests);
    }

    [Fact]
    public async Task A_cut_off_snapshot_fails_the_rebuild_and_leaves_the_projection_not_ready()
    {
        var follower = new MemoryFollower(new MemoryRegistry(snapshotSequence: 5, snapshotVersions: 3, lastSequence: 7, trailer: false), NewLease());
        Assert.True(await follower.Lease.HoldAsync(CancellationToken.None));
        follower.Readiness.SetReady();

        await Assert.ThrowsAsync<RegistryFeedClient<string>.TruncatedSnapshotException>(() => follower.RebuildAsync(CancellationToken.None));

        Assert.False(follower.Readiness.IsReady);
        Assert.DoesNotContain(follower.Steps, s => s.StartsWith("finish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_on_a_built_store_loads_it_and_fills_a_gap_from_the_feed_once_it_has_stood_for_GapWait()
    {
        var registry = new MemoryRegistry(snapshotSequence: 5, snapshotVersions: 3, lastSequence: 7, trailer: true);
        var clock = new FakeTimeProvider();
        using var follower = new MemoryFollower(registry, NewLease(clock), clock, storedWatermark: 5);

        await follower.StartAsync(CancellationToken.None);
        // The clock stands still: the first comparison finds the gap, too young to be read from the feed.
        await UntilAsync(() => follower.Checks >= 1);
        Assert.Equal(["load"], follower.Steps);
        Assert.Equal(5, follower.Watermark.Current);
        Assert.True(follower.Readiness.IsReady);
        Assert.Equal(7, follower.RegistryLastSequence);

        // Time passes (past GapWait at the next comparison): the gap is read from the feed.
        await UntilAsync(() => follower.Steps.Contains("changes 6,7"), () => clock.Advance(TimeSpan.FromSeconds(6)));
        Assert.Equal(7, follower.Watermark.Current);
        Assert.Equal(0.0, follower.SecondsBehind);
        Assert.DoesNotContain(registry.Requests, r => r.StartsWith("/api/v1/snapshot", StringComparison.Ordinal));
        await follower.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_rebuild_by_an_instance_that_does_not_hold_the_lease_changes_nothing()
    {
        var follower = new MemoryFollower(new MemoryRegistry(snapshotSequence: 5, snapshotVersions: 3, lastSequence: 7, trailer: true), NewLease());
        follower.Readiness.SetReady();

        await Assert.ThrowsAsync<LeaseLostException>(() => follower.RebuildAsync(CancellationToken.None));

        Assert.Empty(follower.Steps);
        Assert.True(follower.Readiness.IsReady);
    }

    // A lease of the follower's own (a holder of its own) in the test's database.
    private Lease NewLease(TimeProvider? clock = null) =>
        new(new LeaseStore(database), "projection-follower", TimeSpan.FromSeconds(30), clock ?? TimeProvider.System, NullLogger.Instance);

    // Polls a condition (doing something between looks, if asked) for at most ten seconds.
    private static async Task UntilAsync(Func<bool> condition, Action? between = null)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the follower did not get there within 10 s");
            between?.Invoke();
            await Task.Delay(10);
        }
    }

    /// <summary>A projection in memory: rows as text, the watermark moved over the sequences the feed brought.</summary>
    private sealed class MemoryFollower : ProjectionFollower<string>
    {
        private readonly long? storedWatermark;
        private int checks;

        // storedWatermark: the store's watermark when it was built before; null: never built.
        public MemoryFollower(MemoryRegistry registry, Lease lease, FakeTimeProvider? clock = null, long? storedWatermark = null)
            : this(registry, lease, new ProjectionWatermark(), new ProjectionReadiness(), clock ?? new FakeTimeProvider())
        {
            this.storedWatermark = storedWatermark;
        }

        private MemoryFollower(MemoryRegistry registry, Lease lease, ProjectionWatermark watermark, ProjectionReadiness readiness, FakeTimeProvider clock)
            : base("Test", new RegistryFeedClient<string>(new HttpClient(registry) { BaseAddress = new Uri("http://registry/") }, Mapping), watermark, readiness,
                new ProjectionFollowerOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), SnapshotBatch: 2), lease, new Lifetime(), clock, NullLogger.Instance)
        {
            Watermark = watermark;
            Readiness = readiness;
        }

        public ProjectionWatermark Watermark { get; }
        public ProjectionReadiness Readiness { get; }
        public ConcurrentQueue<string> Rows { get; } = [];
        public ConcurrentQueue<string> Steps { get; } = [];

        /// <summary>How many comparisons with the registry the loop has made.</summary>
        public int Checks => Volatile.Read(ref checks);

        // The store's state: built before (storedWatermark) or by this follower's snapshot; built_at names the build.
        private ProjectionState? state;

        protected override Task<ProjectionState> StateAsync(CancellationToken ct) => Task.FromResult(state ??= storedWatermark is { } stored
            ? new ProjectionState { Snapshot_Sequence = stored, Low_Watermark = stored, Built_At = DateTimeOffset.UnixEpoch }
            : new ProjectionState());

        protected override Task<ProjectionLoad> LoadAsync(CancellationToken ct) =>
            Step("load", new ProjectionLoad(Rows.Count, storedWatermark ?? Watermark.Current));

        protected override Task ResetAsync(LeaseFence fence, CancellationToken ct)
        {
            Rows.Clear();
            state = new ProjectionState();
            return Step("reset", 0);
        }

        protected override Task AddSnapshotBatchAsync(IReadOnlyList<string> rows, LeaseFence fence, CancellationToken ct)
        {
            foreach (var row in rows)
            {
                Rows.Enqueue(row);
            }

            return Step($"batch {rows.Count}", 0);
        }

        protected override Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct)
        {
            state = new ProjectionState { Snapshot_Sequence = sequence, Low_Watermark = sequence, Built_At = DateTimeOffset.UnixEpoch.AddSeconds(sequence + 1) };
            return Step($"finish {sequence}", sequence);
        }

        protected override Task ApplyChangesAsync(IReadOnlyList<PersonChanged> changes, CancellationToken ct)
        {
            foreach (var change in changes)
            {
                Rows.Enqueue($"{change.PersonId:N}/{change.Version}");
            }

            Watermark.Set(changes.Max(c => c.Sequence));
            return Step($"changes {string.Join(',', changes.Select(c => c.Sequence))}", 0);
        }

        protected override void AfterFeedCheck() => Interlocked.Increment(ref checks);

        private Task<T> Step<T>(string step, T result)
        {
            Steps.Enqueue(step);
            return Task.FromResult(result);
        }
    }

    /// <summary>The registry's snapshot, feed and status from memory; every request's path and query noted.</summary>
    private sealed class MemoryRegistry(long snapshotSequence, int snapshotVersions, long lastSequence, bool trailer) : HttpMessageHandler
    {
        public ConcurrentQueue<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery;
            Requests.Enqueue(path);
            var body = request.RequestUri.AbsolutePath switch
            {
                "/api/v1/snapshot" => Snapshot(),
                "/api/v1/changes/status" => JsonSerializer.Serialize(new { lastSequence, publishedSequence = lastSequence, backlog = 0 }, Json.Options),
                "/api/v1/changes" => JsonSerializer.Serialize(new { changes = Changes(long.Parse(path.Split("after=")[1].Split('&')[0])), next = lastSequence }, Json.Options),
                _ => throw new InvalidOperationException(path),
            };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }

        private string Snapshot()
        {
            var lines = new List<string> { $$"""{"kind":"header","sequence":{{snapshotSequence}},"fields":["sex"],"history":false}""" };
            lines.AddRange(Enumerable.Range(1, snapshotVersions).Select(i =>
                $$$"""{"kind":"version","personId":"{{{Person(i)}}}","version":1,"current":true,"changeType":"registered","occurredAt":"2020-01-01T00:00:00Z","recordedAt":"2020-01-01T00:00:00Z","supersededAt":null,"record":{"sex":"1"}}"""));
            if (trailer)
            {
                lines.Add($$"""{"kind":"end","count":{{snapshotVersions}}}""");
            }

            return string.Join('\n', lines) + "\n";
        }

        private List<PersonChanged> Changes(long after) =>
        [
            .. Enumerable.Range((int)after + 1, (int)(lastSequence - after)).Select(sequence => new PersonChanged
            {
                EventId = Guid.NewGuid(), Sequence = sequence, PersonId = Person(sequence + 100), IdNumber = "", ChangeType = "registered", ChangedFields = [],
                Version = 1, OccurredAt = DateTimeOffset.UnixEpoch, RecordedAt = DateTimeOffset.UnixEpoch, Source = "api",
                Person = new PersonRecord
                {
                    PersonId = Person(sequence + 100), IdNumber = "", Name = "", Sex = "1", BirthDate = new DateOnly(1990, 1, 1), Ethnicity = "01",
                    ResidenceType = "registered", Status = "living",
                },
            }),
        ];

        private static Guid Person(long i) => new($"00000000-0000-0000-0000-{i:D12}");
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
