using System.Net;
using System.Text.Json.Nodes;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Sharing.People;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// Two sharing instances on one read model, their consumers competing: the read model equals the registry person by
/// person after a stream of changes and through a rebuild asked of the instance that does not lead, while changes go on (no consumer
/// writes beside the snapshot being loaded; the other instance loads the new build and is ready again).
/// </summary>
public sealed class SeveralInstancesTests(SharingPairFixture fixture) : IClassFixture<SharingPairFixture>
{
    private readonly List<Guid> persons = [];

    private static readonly string Community = Domain.Regions.RegionCatalogue.Wuxi.Communities[0].Code;

    [Fact]
    public async Task The_read_model_equals_the_registry_with_two_instances_through_a_stream_and_a_rebuild()
    {
        await RegisterAsync(6);
        fixture.Start(0);
        await fixture.CaughtUpAsync(0);
        fixture.Start(1);
        await fixture.CaughtUpAsync(1);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RegisterAsync(4)).ToList());
        await Task.WhenAll(persons.Take(5).Select(p => fixture.CommandAsync(p, "corrections", new { name = "王芳二" })).ToList());
        await AssertEqualsRegistryAsync("after a stream of changes");

        await Eventually.TrueAsync(() => Task.FromResult(fixture.Service<PeopleProjection>(0).Lease.IsHeld || fixture.Service<PeopleProjection>(1).Lease.IsHeld),
            TimeSpan.FromSeconds(30), "an instance to lead the follower");
        var leader = fixture.Service<PeopleProjection>(0).Lease.IsHeld ? 0 : 1;
        var before = (await fixture.Service<PeopleStore>(0).StateAsync(CancellationToken.None)).Built_At;
        // Asked of the instance that does not lead: the request is kept in the store and the leader rebuilds.
        using (var admin = fixture[1 - leader].CreateAdminClient())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/v1/read-model/rebuild", null)).StatusCode);
        }

        await RegisterAsync(4);
        await fixture.CommandAsync(persons[^1], "corrections", new { name = "王芳三" });
        await Eventually.TrueAsync(async () => (await fixture.Service<PeopleStore>(0).StateAsync(CancellationToken.None)).Built_At is { } at && at != before,
            TimeSpan.FromSeconds(60), "the rebuild");
        await AssertEqualsRegistryAsync("after a rebuild on one");
    }

    private async Task RegisterAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (status, body) = await fixture.RegistryClient.PostAsync("/api/v1/persons", People.ResidentOf(Community, i % 2 == 0 ? "1" : "2"));
            Assert.True(status == 201, $"register: {status} {body}");
            lock (persons)
            {
                persons.Add(Guid.Parse((string)body["personId"]!));
            }
        }
    }

    // Both instances caught up; the read model, person by person, equals the registry's answer for that person.
    private async Task AssertEqualsRegistryAsync(string when)
    {
        await fixture.CaughtUpAsync(0);
        await fixture.CaughtUpAsync(1);
        var store = fixture.Service<PeopleStore>(1);
        Assert.Equal(persons.Count, await store.CountAsync(CancellationToken.None));
        foreach (var id in persons)
        {
            var registry = (await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/{id}")).Body;
            var row = Assert.Single(await store.ByIdNumberAsync(store.Reads, (string)registry["person"]!["idNumber"]!, record: true, CancellationToken.None));
            Assert.True((int)registry["version"]! == row.Version, $"{when}: person {id} is version {registry["version"]} in the registry, {row.Version} in the read model");
            Assert.True(JsonNode.DeepEquals(registry["person"], JsonNode.Parse(row.Record)), $"{when}: person {id}: {registry["person"]!.ToJsonString()} against {row.Record}");
        }
    }
}
