using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>
/// The projection against the real registry, PostgreSQL and RabbitMQ: built from the snapshot, then kept by events; the
/// registry's own SQL count (reconciliation) and the test's own bookkeeping agree with it after every trial — repeats,
/// a restart, a lost event, a rebuild.
/// </summary>
public sealed class ProjectionTests(AnalyticsFixture fixture) : IClassFixture<AnalyticsFixture>
{
    // The living people of each community, as this test made them.
    private readonly Dictionary<string, int> living = [];

    [Fact]
    public async Task The_projection_follows_the_registry_through_repeats_a_restart_a_lost_event_and_a_rebuild()
    {
        // Before the service first starts: a register with a past.
        var people = new List<(Guid Id, string Community)>();
        foreach (var community in fixture.Communities)
        {
            for (var i = 0; i < 6; i++)
            {
                people.Add((await fixture.RegisterAsync(community, i % 2 == 0 ? "1" : "2"), community));
                living[community] = living.GetValueOrDefault(community) + 1;
            }
        }

        await DieAsync(people[0]);
        await MoveAsync(people[1], fixture.Communities[3]);

        // 1. First start: the snapshot, then the feed.
        fixture.StartAnalytics();
        await fixture.CaughtUpAsync();
        var status = await fixture.StatusAsync();
        Assert.Equal(await fixture.RegistryLastAsync(), (long)status["snapshotSequence"]!);
        await AssertAgreesAsync("after the snapshot");

        // 2. Changes while it runs arrive as events.
        var before = fixture.Service<FactStore>();
        for (var i = 0; i < 4; i++)
        {
            people.Add((await fixture.RegisterAsync(fixture.Communities[2]), fixture.Communities[2]));
            living[fixture.Communities[2]]++;
        }

        await DieAsync(people[2]);
        await MoveAsync(people[3], fixture.Communities[0]);
        await fixture.CaughtUpAsync();
        Assert.Equal(await fixture.RegistryLastAsync(), (long)(await fixture.StatusAsync())["snapshotSequence"]! + 6);
        await AssertAgreesAsync("after events");

        // 3. Repeats: the last five changes published again through the broker (as a redelivery brings them).
        var (versions, _) = await before.CountAsync(CancellationToken.None);
        var last = await fixture.RegistryLastAsync();
        var changes = await fixture.Service<RegistryReader>().ReadChangesAsync(last - 5, 5, CancellationToken.None);
        var ackedBefore = await AcknowledgedAsync();
        var publisher = fixture.Registry.Services.GetRequiredService<IBus>();
        foreach (var change in changes)
        {
            await publisher.Publish(change);
        }

        // The management API's counters are sampled every few seconds: poll them.
        await Eventually.TrueAsync(async () => await AcknowledgedAsync() >= ackedBefore + 5, TimeSpan.FromSeconds(30), "the repeats to be consumed");
        Assert.Equal(versions, (await before.CountAsync(CancellationToken.None)).Versions);
        await AssertAgreesAsync("after repeats");

        // 4. A restart: the index is loaded from the store.
        await fixture.StopAnalyticsAsync();
        fixture.StartAnalytics();
        await fixture.CaughtUpAsync();
        Assert.Equal(versions, fixture.Service<PopulationIndex>().RowCount);
        await AssertAgreesAsync("after a restart");

        // 5. Lost events: changes made while the service is down, their messages purged from its queue; the feed fills the gap.
        await fixture.StopAnalyticsAsync();
        people.Add((await fixture.RegisterAsync(fixture.Communities[1]), fixture.Communities[1]));
        living[fixture.Communities[1]]++;
        await DieAsync(people[4]);
        await PurgeAsync();
        fixture.StartAnalytics();
        await fixture.CaughtUpAsync();
        await AssertAgreesAsync("after lost events");

        // 6. A rebuild on command: emptied, the snapshot read again, the same figures.
        using (var admin = fixture.Analytics!.CreateAdminClient())
        {
            var (code, _) = await admin.PostAsync("/api/v1/projection/rebuild", new { });
            Assert.Equal(202, code);
        }

        var rebuiltAt = await fixture.RegistryLastAsync();
        await Eventually.TrueAsync(async () => (long?)(await fixture.StatusAsync())["snapshotSequence"] == rebuiltAt && (string?)(await fixture.StatusAsync())["builtAt"] is not null
            && fixture.Service<PopulationIndex>().Generation > 0, TimeSpan.FromSeconds(60), "the rebuild");
        await fixture.CaughtUpAsync();
        await AssertAgreesAsync("after a rebuild");
    }

    private async Task DieAsync((Guid Id, string Community) person)
    {
        await fixture.CommandAsync(person.Id, "death", new { deathDate = CityDate.Text(CityDate.Today.AddDays(-1)) });
        living[person.Community]--;
    }

    private async Task MoveAsync((Guid Id, string Community) person, string to)
    {
        await fixture.CommandAsync(person.Id, "move-within-city", new { moveDate = CityDate.Text(CityDate.Today.AddDays(-1)), residenceRegionCode = to, residenceAddress = "新街1号" });
        living[person.Community]--;
        living[to] = living.GetValueOrDefault(to) + 1;
    }

    // The reconciliation finds no difference, and the table of communities (true counts) is the test's own bookkeeping.
    private async Task AssertAgreesAsync(string when)
    {
        var result = await fixture.ReconcileAsync();
        Assert.True(result.Outcome == "consistent", $"{when}: {result.Outcome}, {result.Differences} differences: {string.Join("; ", result.FirstDifferences.Take(5))}");
        Assert.Equal(living.Values.Sum(), result.RegistryTotal);

        var table = fixture.Service<TableService>().Build(new TableRequest("community", null, null, null, null, "occurred"), protect: false).Value!;
        foreach (var (community, count) in living)
        {
            var row = table.RowKeys.Select((k, i) => (k, i)).Single(p => p.k[0] == community).i;
            Assert.True(count == table.Cells[row][0], $"{when}: community {community} has {count} living people, the table says {table.Cells[row][0]}");
        }

        Assert.Equal(living.Values.Sum(), table.Total);
    }

    // Messages the service's queue has had acknowledged.
    private async Task<long> AcknowledgedAsync()
    {
        using var management = await TestInfrastructure.ManagementClientAsync();
        var queue = await management.GetJsonAsync($"/api/queues/{Uri.EscapeDataString(fixture.VirtualHost.AbsolutePath.Trim('/'))}/{PersonChangedConsumer.QueueName}");
        return queue.Body["message_stats"]?["ack"] is { } ack ? (long)ack : 0;
    }

    private async Task PurgeAsync()
    {
        using var management = await TestInfrastructure.ManagementClientAsync();
        var vhost = Uri.EscapeDataString(fixture.VirtualHost.AbsolutePath.Trim('/'));
        await Eventually.TrueAsync(async () => (long?)(await management.GetJsonAsync($"/api/queues/{vhost}/{PersonChangedConsumer.QueueName}")).Body["messages"] >= 2,
            TimeSpan.FromSeconds(15), "the changes to wait in the stopped service's queue");
        using var response = await management.DeleteAsync($"/api/queues/{vhost}/{PersonChangedConsumer.QueueName}/contents");
        Assert.True(response.IsSuccessStatusCode, $"purge: {(int)response.StatusCode}");
    }
}
