using Microsoft.Extensions.DependencyInjection;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>
/// Two analytics instances on one store, their consumers competing for the registry's changes (each change reaches one of
/// them): each instance's index follows the shared store, so both answer every table equal to the registry — its own SQL
/// count (reconciliation) and this test's bookkeeping, exactly — while changes stream, after one is stopped and started
/// again, and through a rebuild on one while the other keeps serving (docs/architecture.md, "Several instances").
/// </summary>
public sealed class SeveralInstancesTests(AnalyticsPairFixture fixture) : IClassFixture<AnalyticsPairFixture>
{
    // The living people of each community, as this test made them.
    private readonly Dictionary<string, int> living = [];
    private readonly List<(Guid Id, string Community)> people = [];

    private static readonly List<string> Communities = [.. Domain.Regions.RegionCatalogue.Wuxi.Communities.Take(3).Select(c => c.Code)];

    [Fact]
    public async Task Both_instances_answer_the_registrys_counts_through_a_stream_a_restart_and_a_rebuild_asked_of_either()
    {
        await RegisterAsync(12);
        fixture.Start(0);
        await fixture.CaughtUpAsync(0);
        // The second instance loads the store the first built: no second snapshot of the city.
        var built = await StatusAsync(0);
        fixture.Start(1);
        await fixture.CaughtUpAsync(1);
        Assert.Equal((string?)built["builtAt"], (string?)(await StatusAsync(1))["builtAt"]);
        await AssertBothAgreeAsync("after the start");

        // 1. A stream of changes while both run: registrations, deaths and moves, several at a time.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RegisterAsync(5)).ToList());
        await Task.WhenAll(people.Take(4).Select(DieAsync).ToList());
        await Task.WhenAll(people.Skip(4).Take(4).Select(p => MoveAsync(p, Communities[(Communities.IndexOf(p.Community) + 1) % Communities.Count])).ToList());
        // Both consume the one queue (the management API's figures are sampled every few seconds: poll them).
        await Eventually.TrueAsync(async () => await ConsumersAsync() == 2, TimeSpan.FromSeconds(30), "two consumers on the shared queue");
        await AssertBothAgreeAsync("after a stream of changes");

        // 2. One stopped, changes meanwhile (the other hears them all), then started again: it loads the store and agrees.
        await fixture.StopAsync(1);
        await RegisterAsync(6);
        await DieAsync(people[10]);
        await fixture.CaughtUpAsync(0);
        fixture.Start(1);
        await AssertBothAgreeAsync("after a restart of one");

        // 3. The other one — the follower's leader — stopped and started again: the first takes the lease and goes on.
        await fixture.StopAsync(0);
        await RegisterAsync(4);
        await MoveAsync(people[11], Communities[0]);
        await fixture.CaughtUpAsync(1);
        fixture.Start(0);
        await AssertBothAgreeAsync("after a restart of the leader");

        // 4. A rebuild asked of the instance that does not lead, while changes go on: the leader does it (the request is
        // kept in the store); the other keeps answering (its index at its watermark, ready), holds its consumer back until
        // the store is built again, then loads the new build.
        await Eventually.TrueAsync(() => Task.FromResult(Service<ProjectionService>(0).Lease.IsHeld || Service<ProjectionService>(1).Lease.IsHeld),
            TimeSpan.FromSeconds(30), "an instance to lead the follower");
        var leader = Service<ProjectionService>(0).Lease.IsHeld ? 0 : 1;
        var other = 1 - leader;
        var before = (await Service<FactStore>(other).StateAsync(CancellationToken.None)).Built_At;
        using (var admin = fixture[other].CreateAdminClient())
        {
            var (code, _) = await admin.PostAsync("/api/v1/projection/rebuild", new { });
            Assert.Equal(202, code);
        }

        // While the store is not built, the other instance serves what it held: ready, at one position (nothing moves it).
        var notServing = new List<string>();
        var positionsWhileBuilding = new HashSet<ProjectionPosition?>();
        var changes = Task.Run(async () =>
        {
            await RegisterAsync(3);
            await DieAsync(people[12]);
        });
        await Eventually.TrueAsync(async () =>
        {
            var store = await Service<FactStore>(other).StateAsync(CancellationToken.None);
            var position = Service<PopulationIndex>(other).Position;
            if (store.Snapshot_Sequence is null)
            {
                positionsWhileBuilding.Add(position);
                if (!Service<ProjectionReadiness>(other).IsReady || position is null)
                {
                    notServing.Add($"ready {Service<ProjectionReadiness>(other).IsReady}, position {position}");
                }
            }

            return store.Built_At is { } at && at != before;
        }, TimeSpan.FromSeconds(60), "the rebuild");
        await changes;
        Assert.Empty(notServing);
        Assert.True(positionsWhileBuilding.Count <= 1, string.Join(", ", positionsWhileBuilding));
        await AssertBothAgreeAsync("after a rebuild on one");
    }

    private T Service<T>(int i) where T : notnull => fixture[i].Services.GetRequiredService<T>();

    private async Task<System.Text.Json.Nodes.JsonObject> StatusAsync(int i)
    {
        using var client = fixture[i].CreatePlannerClient();
        return (await client.GetJsonAsync("/api/v1/projection/status")).Body;
    }

    private async Task RegisterAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var community = Communities[people.Count % Communities.Count];
            var (status, body) = await fixture.RegistryClient.PostAsync("/api/v1/persons", People.ResidentOf(community, i % 2 == 0 ? "1" : "2"));
            Assert.True(status == 201, $"register: {status} {body}");
            lock (people)
            {
                people.Add((Guid.Parse((string)body["personId"]!), community));
                living[community] = living.GetValueOrDefault(community) + 1;
            }
        }
    }

    private async Task DieAsync((Guid Id, string Community) person)
    {
        await fixture.CommandAsync(person.Id, "death", new { deathDate = CityDate.Text(CityDate.Today.AddDays(-1)) });
        lock (people)
        {
            living[person.Community]--;
        }
    }

    private async Task MoveAsync((Guid Id, string Community) person, string to)
    {
        await fixture.CommandAsync(person.Id, "move-within-city", new { moveDate = CityDate.Text(CityDate.Today.AddDays(-1)), residenceRegionCode = to, residenceAddress = "新街1号" });
        lock (people)
        {
            living[person.Community]--;
            living[to] = living.GetValueOrDefault(to) + 1;
        }
    }

    // Each instance, caught up to the registry's last sequence: its reconciliation finds no difference, and its table of
    // communities (true counts) is this test's bookkeeping.
    private async Task AssertBothAgreeAsync(string when)
    {
        for (var i = 0; i < 2; i++)
        {
            await fixture.CaughtUpAsync(i);
            var result = await Service<Reconciler>(i).RunAsync(CancellationToken.None);
            Assert.True(result.Outcome == "consistent", $"{when}, instance {i}: {result.Outcome}, {result.Differences} differences: {string.Join("; ", result.FirstDifferences.Take(5))}");
            Assert.Equal(living.Values.Sum(), result.RegistryTotal);

            var table = Service<TableService>(i).Build(new TableRequest("community", null, null, null, null, "occurred"), protect: false).Value!;
            foreach (var (community, count) in living)
            {
                var row = table.RowKeys.Select((k, r) => (k, r)).Single(p => p.k[0] == community).r;
                Assert.True(count == table.Cells[row][0], $"{when}, instance {i}: community {community} has {count} living people, the table says {table.Cells[row][0]}");
            }

            Assert.Equal(living.Values.Sum(), table.Total);
        }
    }

    // The consumers on the shared queue (both instances').
    private async Task<long> ConsumersAsync()
    {
        using var management = await TestInfrastructure.ManagementClientAsync();
        var vhost = Uri.EscapeDataString(fixture.VirtualHost.AbsolutePath.Trim('/'));
        return (long?)(await management.GetJsonAsync($"/api/queues/{vhost}/{PersonChangedConsumer.QueueName}")).Body["consumers"] ?? 0;
    }
}
