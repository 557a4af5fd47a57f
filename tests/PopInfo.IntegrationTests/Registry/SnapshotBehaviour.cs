using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>
/// The register's consistent snapshot (GET /api/v1/snapshot), on PostgreSQL and on SQLite. One host (and database) per
/// class; its tests run one after the other, so the register holds exactly what this class's tests wrote through the API.
/// </summary>
public abstract class SnapshotBehaviour(RegistryFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_snapshot_with_history_holds_every_version_of_every_person_with_only_the_chosen_fields()
    {
        var moved = await RegisterAsync();
        await CorrectAsync(moved, 1, "教师");
        var (movedStatus, _) = await Client.PostAsync($"/api/v1/persons/{moved}/move-within-city", new
        {
            commandId = Guid.NewGuid(),
            expectedVersion = 2,
            moveDate = DateOnly.FromDateTime(DateTime.UtcNow),
            residenceAddress = "河埒街道湖滨路8号",
            residenceRegionCode = People.OtherCommunity,
            moveRegistration = false,
        });
        Assert.Equal(200, movedStatus);
        var plain = await RegisterAsync();
        var migrant = await MigrantAsync();
        var last = await LastSequenceAsync();

        var snapshot = await ReadAsync("/api/v1/snapshot?fields=migrant,birthDate,sex,residenceRegionCode&history=true");

        Assert.Equal(last, (long)snapshot.Header["sequence"]!);
        Assert.True((bool)snapshot.Header["history"]!);
        Assert.Equal(["sex", "birthDate", "residenceRegionCode", "migrant"], snapshot.Header["fields"]!.AsArray().Select(f => (string)f!));
        Assert.NotNull(snapshot.End);
        Assert.Equal(snapshot.Versions.Count, (long)snapshot.End["count"]!);

        // Every version the feed ever announced, and no other line.
        var feed = await FeedAsync(last);
        Assert.Equal(
            feed.Select(c => ((string)c["personId"]!, (int)c["version"]!, (string)c["changeType"]!)).Order(),
            snapshot.Versions.Select(v => ((string)v["personId"]!, (int)v["version"]!, (string)v["changeType"]!)).Order());
        AssertInSnapshotOrder(snapshot.Versions);

        // Each of the persons written here, line by line as the register's own history reads them.
        foreach (var id in new[] { moved, plain, migrant })
        {
            var history = await Client.GetArrayAsync($"/api/v1/persons/{id}/history");
            var lines = snapshot.Versions.Where(v => (string)v["personId"]! == id).ToList();
            Assert.Equal(history.Count, lines.Count);
            for (var i = 0; i < lines.Count; i++)
            {
                var (line, version) = (lines[i], history[i]!);
                var isCurrent = i == lines.Count - 1;
                Assert.Equal("version", (string)line["kind"]!);
                Assert.Equal((int)version["version"]!, (int)line["version"]!);
                Assert.Equal(isCurrent, (bool)line["current"]!);
                Assert.Equal((string)version["changeType"]!, (string)line["changeType"]!);
                Assert.Equal(Time(version["occurredAt"]), Time(line["occurredAt"]));
                Assert.Equal(Time(version["recordedAt"]), Time(line["recordedAt"]));
                Assert.True(line.ContainsKey("supersededAt"));
                if (isCurrent)
                {
                    Assert.Null(line["supersededAt"]);
                }
                else
                {
                    Assert.Equal(Time(lines[i + 1]["recordedAt"]), Time(line["supersededAt"]));
                }

                var person = version["person"]!.AsObject();
                var expected = new JsonObject();
                foreach (var field in new[] { "sex", "birthDate", "residenceRegionCode", "migrant" })
                {
                    if (person[field] is { } value)
                    {
                        expected[field] = value.DeepClone();
                    }
                }

                Assert.True(JsonNode.DeepEquals(expected, line["record"]), $"{id} v{line["version"]}: {line["record"]!.ToJsonString()} is not {expected.ToJsonString()}");
                Assert.False(line["record"]!.AsObject().ContainsKey("name"));
                Assert.False(line["record"]!.AsObject().ContainsKey("idNumber"));
            }
        }

        var movedLines = snapshot.Versions.Where(v => (string)v["personId"]! == moved).ToList();
        Assert.Equal([1, 2, 3], movedLines.Select(v => (int)v["version"]!));
        Assert.Equal([People.Community, People.Community, People.OtherCommunity], movedLines.Select(v => (string)v["record"]!["residenceRegionCode"]!));
        var migrantLine = Assert.Single(snapshot.Versions, v => (string)v["personId"]! == migrant);
        Assert.Equal("410102", (string)migrantLine["record"]!["migrant"]!["originRegionCode"]!);
    }

    [Fact]
    public async Task A_snapshot_without_history_holds_the_current_version_of_every_person()
    {
        var id = await RegisterAsync();
        await CorrectAsync(id, 1, "医生");
        var last = await LastSequenceAsync();

        var snapshot = await ReadAsync("/api/v1/snapshot?fields=occupation,name");

        Assert.Equal(last, (long)snapshot.Header["sequence"]!);
        Assert.False((bool)snapshot.Header["history"]!);
        var feed = await FeedAsync(last);
        var currents = feed.GroupBy(c => (string)c["personId"]!).Select(g => (g.Key, g.Max(c => (int)c["version"]!))).Order();
        Assert.Equal(currents, snapshot.Versions.Select(v => ((string)v["personId"]!, (int)v["version"]!)).Order());
        Assert.All(snapshot.Versions, v => Assert.True((bool)v["current"]!));
        Assert.Equal(snapshot.Versions.Count, (long)snapshot.End!["count"]!);
        AssertInSnapshotOrder(snapshot.Versions);
        var line = Assert.Single(snapshot.Versions, v => (string)v["personId"]! == id);
        Assert.Equal(2, (int)line["version"]!);
        Assert.Equal("医生", (string)line["record"]!["occupation"]!);
        Assert.Equal("王芳", (string)line["record"]!["name"]!);
        Assert.Equal(["name", "occupation"], line["record"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_change_committed_while_a_snapshot_streams_is_not_in_it()
    {
        await RegisterAsync();
        // Ids are UUIDv7: the person registered last comes last in the stream, the furthest from its start.
        var changed = await RegisterAsync();
        var before = await LastSequenceAsync();

        using var response = await Client.GetAsync("/api/v1/snapshot?fields=occupation&history=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = JsonNode.Parse((await reader.ReadLineAsync())!)!.AsObject();
        var first = JsonNode.Parse((await reader.ReadLineAsync())!)!.AsObject();
        Assert.Equal("version", (string)first["kind"]!);

        var (status, correction) = await Client.PostAsync($"/api/v1/persons/{changed}/corrections",
            new { commandId = Guid.NewGuid(), expectedVersion = 1, occupation = "工程师" });
        Assert.Equal(200, status);
        var rest = await ReadLinesAsync(reader);

        Assert.Equal(before, (long)header["sequence"]!);
        Assert.True((long)header["sequence"]! < (long)correction["sequence"]!);
        var lines = new[] { first }.Concat(rest.SkipLast(1)).ToList();
        var line = Assert.Single(lines, v => (string)v["personId"]! == changed);
        Assert.Equal(1, (int)line["version"]!);
        Assert.True((bool)line["current"]!);
        Assert.False(line["record"]!.AsObject().ContainsKey("occupation"));
        Assert.Equal("end", (string)rest[^1]["kind"]!);
        Assert.Equal(lines.Count, (long)rest[^1]["count"]!);

        // The next snapshot has the change.
        var after = await ReadAsync("/api/v1/snapshot?fields=occupation");
        var now = Assert.Single(after.Versions, v => (string)v["personId"]! == changed);
        Assert.Equal(2, (int)now["version"]!);
        Assert.Equal("工程师", (string)now["record"]!["occupation"]!);
    }

    [Theory]
    [InlineData("/api/v1/snapshot", "required")]
    [InlineData("/api/v1/snapshot?fields=", "required")]
    [InlineData("/api/v1/snapshot?fields=,", "required")]
    [InlineData("/api/v1/snapshot?fields=sex,favouriteColour", "snapshot.field-known")]
    [InlineData("/api/v1/snapshot?fields=Sex", "snapshot.field-known")]
    public async Task A_snapshot_without_fields_or_with_an_unknown_field_is_refused(string url, string rule)
    {
        var (status, problem) = await Client.GetJsonAsync(url);

        Assert.Equal(400, status);
        Assert.Equal([("fields", rule)], problem.Violations());
        if (rule == "snapshot.field-known")
        {
            Assert.Contains(url.Contains("Sex", StringComparison.Ordinal) ? "Sex" : "favouriteColour", (string)problem["detail"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_snapshot_needs_the_read_scope()
    {
        using var writer = fixture.Host.CreateClient();
        writer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestIssuer.Shared.Token([PlatformScopes.RegistryWrite]));
        using var anonymous = fixture.Host.CreateAnonymousClient();

        using var forbidden = await writer.GetAsync("/api/v1/snapshot?fields=sex");
        using var unauthenticated = await anonymous.GetAsync("/api/v1/snapshot?fields=sex");

        Assert.Equal(403, (int)forbidden.StatusCode);
        Assert.Equal(401, (int)unauthenticated.StatusCode);
    }

    [Fact]
    public async Task A_snapshot_is_audited_by_its_sequence_fields_and_history_before_it_streams()
    {
        await RegisterAsync();
        var audit = fixture.Host.Services.GetRequiredService<ReadAuditStore>();
        var newest = (await audit.LatestAsync(1, CancellationToken.None)).SingleOrDefault()?.Id ?? 0;

        var snapshot = await ReadAsync("/api/v1/snapshot?fields=residenceType,sex&history=true");

        var rows = (await audit.LatestAsync(10, CancellationToken.None)).Where(r => r.Id > newest).ToList();
        var row = Assert.Single(rows);
        Assert.Equal("snapshot.read", row.Action);
        Assert.Equal("popinfo-tests", row.Client);
        Assert.Null(row.Person_Ids);
        Assert.Equal($"sequence {(long)snapshot.Header["sequence"]!}; fields sex,residenceType; history true", row.Detail);
    }

    private sealed record Snapshot(JsonObject Header, IReadOnlyList<JsonObject> Versions, JsonObject? End);

    private async Task<Snapshot> ReadAsync(string url)
    {
        using var response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = await ReadLinesAsync(reader);
        Assert.Equal("header", (string)lines[0]["kind"]!);
        var end = lines[^1]["kind"]?.GetValue<string>() == "end" ? lines[^1] : null;
        var versions = lines.Skip(1).Take(lines.Count - (end is null ? 1 : 2)).ToList();
        Assert.All(versions, v => Assert.Equal("version", (string)v["kind"]!));
        return new Snapshot(lines[0], versions, end);
    }

    private static async Task<List<JsonObject>> ReadLinesAsync(StreamReader reader)
    {
        var lines = new List<JsonObject>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(JsonNode.Parse(line)!.AsObject());
        }

        return lines;
    }

    /// <summary>Persons by id in the databases' order (uuid bytes; SQLite's upper-case text sorts alike), each person's versions ascending.</summary>
    private static void AssertInSnapshotOrder(IReadOnlyList<JsonObject> versions)
    {
        var keys = versions.Select(v => (Id: ((string)v["personId"]!).ToLowerInvariant(), Version: (int)v["version"]!)).ToList();
        for (var i = 1; i < keys.Count; i++)
        {
            var order = string.CompareOrdinal(keys[i - 1].Id, keys[i].Id);
            Assert.True(order < 0 || (order == 0 && keys[i - 1].Version < keys[i].Version), $"line {i + 1} is out of order: {keys[i - 1]} before {keys[i]}");
            if (order < 0)
            {
                Assert.True((bool)versions[i - 1]["current"]!, $"the last version of {keys[i - 1].Id} is not the current one");
            }
        }
    }

    /// <summary>Every change-log entry up to <paramref name="last"/>.</summary>
    private async Task<List<JsonObject>> FeedAsync(long last)
    {
        var all = new List<JsonObject>();
        var after = 0L;
        while (after < last)
        {
            var (_, page) = await Client.GetJsonAsync($"/api/v1/changes?after={after}&limit=1000");
            all.AddRange(page["changes"]!.AsArray().Select(c => c!.AsObject()).Where(c => (long)c["sequence"]! <= last));
            after = (long)page["next"]!;
        }

        return all;
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    private async Task<string> RegisterAsync()
    {
        var (status, created) = await Client.PostAsync("/api/v1/persons", People.Resident());
        Assert.Equal(201, status);
        return (string)created["personId"]!;
    }

    private async Task CorrectAsync(string id, int expectedVersion, string occupation)
    {
        var (status, _) = await Client.PostAsync($"/api/v1/persons/{id}/corrections", new { commandId = Guid.NewGuid(), expectedVersion, occupation });
        Assert.Equal(200, status);
    }

    private async Task<string> MigrantAsync()
    {
        var (idNumber, birth, _) = People.Next("1");
        var (status, migrant) = await Client.PostAsync("/api/v1/migrant-arrivals", new
        {
            commandId = Guid.NewGuid(),
            idNumber,
            name = "李强",
            sex = "1",
            birthDate = birth,
            ethnicity = "01",
            residenceAddress = "新吴区旺庄路2号",
            residenceRegionCode = People.Community,
            residenceType = "migrant",
            originRegionCode = "410102",
            arrivalDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10),
            reason = "work",
            expectedStayMonths = 12,
        });
        Assert.Equal(201, status);
        return (string)migrant["personId"]!;
    }

    private async Task<long> LastSequenceAsync()
    {
        var (_, status) = await Client.GetJsonAsync("/api/v1/changes/status");
        return (long)status["lastSequence"]!;
    }
}

public sealed class SnapshotOnPostgreSqlTests(PostgreSqlRegistryFixture fixture) : SnapshotBehaviour(fixture), IClassFixture<PostgreSqlRegistryFixture>;

public sealed class SnapshotOnSqliteTests(SqliteRegistryFixture fixture) : SnapshotBehaviour(fixture), IClassFixture<SqliteRegistryFixture>;
