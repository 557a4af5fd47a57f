using System.Net;
using System.Text.Json.Nodes;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Sharing.People;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The sharing service's read model against the registry it copies (PostgreSQL + RabbitMQ): built from the snapshot,
/// kept by events, caught up after the service was stopped during a stream of changes, and rebuilt on request — and each
/// time equal, person by person, to what the registry's own API answers for them (version and whole record).
/// </summary>
public sealed class ReadModelTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    private static string Yesterday => CityDate.Text(CityDate.Today.AddDays(-1));

    [Fact]
    public async Task The_read_model_equals_the_registry_after_a_snapshot_events_a_stop_during_changes_and_a_rebuild()
    {
        var persons = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            persons.Add((await fixture.RegisterAsync(fixture.Communities[i % 3])).Id);
        }

        // Built from the snapshot.
        fixture.StartSharing();
        await fixture.CaughtUpAsync();
        await AssertEqualsRegistryAsync(persons);

        // Events: a new person, a move, a correction of the name, a death.
        persons.Add((await fixture.RegisterAsync(fixture.Communities[0], sex: "1")).Id);
        await fixture.CommandAsync(persons[0], "move-within-city", new { moveDate = Yesterday, residenceRegionCode = fixture.Communities[2], residenceAddress = "新街1号" });
        await fixture.CommandAsync(persons[1], "corrections", new { name = "王芳芳" });
        await fixture.CommandAsync(persons[2], "death", new { deathDate = Yesterday });
        await fixture.CaughtUpAsync();
        await AssertEqualsRegistryAsync(persons);

        // Stopped while changes go on: caught up by itself once started again.
        await fixture.StopSharingAsync();
        for (var i = 0; i < 6; i++)
        {
            persons.Add((await fixture.RegisterAsync(fixture.Communities[i % 3])).Id);
        }

        await fixture.CommandAsync(persons[3], "move-within-city", new { moveDate = Yesterday, residenceRegionCode = fixture.Communities[1], residenceAddress = "新街2号" });
        await fixture.CommandAsync(persons[4], "corrections", new { name = "王 芳" });
        fixture.StartSharing();
        await fixture.CaughtUpAsync();
        await AssertEqualsRegistryAsync(persons);

        // Rebuilt on an administrator's request, changes arriving meanwhile.
        using var admin = fixture.Sharing!.CreateAdminClient();
        var builtBefore = (string)(await admin.GetJsonAsync("/api/v1/read-model/status")).Body["builtAt"]!;
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/v1/read-model/rebuild", null)).StatusCode);
        persons.Add((await fixture.RegisterAsync(fixture.Communities[2])).Id);
        // Built again (a later build time), not the old model still answering before the rebuild began.
        await Eventually.TrueAsync(async () =>
        {
            var status = (await admin.GetJsonAsync("/api/v1/read-model/status")).Body;
            return (bool)status["ready"]! && (string?)status["builtAt"] is { } built && built != builtBefore && (long)status["persons"]! == persons.Count;
        }, TimeSpan.FromSeconds(60), "the rebuilt read model");
        await fixture.CaughtUpAsync();
        await AssertEqualsRegistryAsync(persons);

        var final = (await admin.GetJsonAsync("/api/v1/read-model/status")).Body;
        Assert.Equal(await fixture.RegistryLastAsync(), (long)final["lowWatermark"]!);
        Assert.Equal(0.0, (double)final["secondsBehind"]!);
    }

    [Fact]
    public async Task An_older_version_never_overwrites_a_newer_one_and_a_redelivery_changes_nothing()
    {
        if (fixture.Sharing is null)
        {
            fixture.StartSharing();
        }

        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.CommandAsync(person.Id, "corrections", new { name = "王芳二" });
        await fixture.CaughtUpAsync();
        var store = fixture.Service<PeopleStore>();
        var newest = Assert.Single(await store.ByIdNumberAsync(store.Reads, person.IdNumber, record: true, CancellationToken.None));
        Assert.Equal(2, newest.Version);

        // Version 1 again (a late redelivery), applied straight to the store: the row keeps version 2.
        var history = JsonNode.Parse(await fixture.RegistryClient.GetStringAsync($"/api/v1/persons/{person.Id}/history"))!.AsArray();
        var first = System.Text.Json.JsonSerializer.Deserialize<Contracts.Registry.PersonRecord>(history[0]!["person"]!.ToJsonString(), Contracts.Json.Options)!;
        await store.ApplyAsync([PersonRow.From(first, 1, sequence: null, DateTimeOffset.UtcNow)], CancellationToken.None);
        var after = Assert.Single(await store.ByIdNumberAsync(store.Reads, person.IdNumber, record: true, CancellationToken.None));
        Assert.Equal(2, after.Version);
        Assert.Equal("王芳二", after.Name);
    }

    // Person by person: the read model's version and record equal the registry's answer for that person.
    private async Task AssertEqualsRegistryAsync(List<Guid> persons)
    {
        var store = fixture.Service<PeopleStore>();
        Assert.Equal(persons.Count, await store.CountAsync(CancellationToken.None));
        foreach (var id in persons)
        {
            var registry = (await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/{id}")).Body;
            var idNumber = (string)registry["person"]!["idNumber"]!;
            var row = Assert.Single(await store.ByIdNumberAsync(store.Reads, idNumber, record: true, CancellationToken.None));
            Assert.Equal(id, row.Person_Id);
            Assert.Equal((int)registry["version"]!, row.Version);
            Assert.True(JsonNode.DeepEquals(registry["person"], JsonNode.Parse(row.Record)), $"person {id}: {registry["person"]!.ToJsonString()} against {row.Record}");
        }
    }
}
