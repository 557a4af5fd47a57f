using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>
/// A person's access log (POST /api/v1/persons/access-log), on PostgreSQL and on SQLite: exactly the reads of that
/// person, by whom; the feed reads that carried the person's changes; the auditor's own questions, audited.
/// </summary>
public abstract class AccessLogBehaviour(RegistryFixture fixture)
{
    private const string Auditor = "audit-li";

    [Fact]
    public async Task A_person_read_by_two_callers_has_exactly_those_two_reads_and_not_another_persons()
    {
        var person = await RegisterAsync();
        var other = await RegisterAsync();
        using (var desk = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryRead], clientId: "popinfo-collection")))
        {
            Assert.Equal(200, (await desk.GetJsonAsync($"/api/v1/persons/{person.Id}")).Status);
            Assert.Equal(200, (await desk.GetJsonAsync($"/api/v1/persons/{other.Id}")).Status);
        }

        using (var exchange = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryRead], clientId: "popinfo-exchange", subject: "collector-7")))
        {
            Assert.Equal(200, (await exchange.GetJsonArrayAsync($"/api/v1/persons/{person.Id}/history")).Status);
        }

        using var sharing = Sharing();
        var (status, log) = await sharing.PostAsync("/api/v1/persons/access-log", new { personId = person.Id, onBehalfOf = Auditor });

        Assert.Equal(200, status);
        Assert.Equal(person.Id, (string)log["personId"]!);
        Assert.Equal(
            new (string, string?, string, string)[] { ("popinfo-collection", null, "person.get", "person"), ("popinfo-exchange", "collector-7", "person.history", "person") },
            Reads(log).Select(r => ((string)r["client"]!, (string?)r["user"], (string)r["action"]!, (string)r["via"]!)));
        Assert.Equal(new[] { (person.Sequence, "registered") }, log["changes"]!.AsArray().Select(c => ((long)c!["sequence"]!, (string)c["changeType"]!)));
        Assert.Equal((long)Reads(log)[^1]["id"]!, (long)log["next"]!);

        // The same person by identity number, a page of one after the first read.
        var (byNumber, page) = await sharing.PostAsync("/api/v1/persons/access-log",
            new { idNumber = person.IdNumber, after = (long)Reads(log)[0]["id"]!, limit = 1, onBehalfOf = Auditor });
        Assert.Equal(200, byNumber);
        Assert.Equal(person.Id, (string)page["personId"]!);
        Assert.Equal(new[] { "person.history" }, Reads(page).Select(r => (string)r["action"]!));
    }

    [Fact]
    public async Task The_auditors_questions_are_reads_of_the_person_and_show_in_the_next_answer()
    {
        var person = await RegisterAsync();
        using var sharing = Sharing();
        var (first, empty) = await sharing.PostAsync("/api/v1/persons/access-log", new { personId = person.Id, onBehalfOf = Auditor });
        Assert.Equal(200, first);
        Assert.Empty(Reads(empty));

        using var auditor = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryAudit], clientId: "popinfo-report", subject: "audit-wang", role: "auditor"));
        var (second, log) = await auditor.PostAsync("/api/v1/persons/access-log", new { personId = person.Id });

        Assert.Equal(200, second);
        var read = Assert.Single(Reads(log));
        Assert.Equal<(string, string?, string, string, string?)>(("popinfo-sharing", null, "access-log.read", "person", $"for {Auditor}; 0 reads after 0"),
            ((string)read["client"]!, (string?)read["user"], (string)read["action"]!, (string)read["via"]!, (string?)read["detail"]));
    }

    [Fact]
    public async Task A_feed_read_that_carried_the_persons_change_is_in_the_log_and_one_that_did_not_is_not()
    {
        var person = await RegisterAsync();
        using (var analytics = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryRead], clientId: "popinfo-analytics")))
        {
            Assert.Equal(200, (await analytics.GetJsonAsync($"/api/v1/changes?after={person.Sequence - 1}&limit=1")).Status);
            Assert.Equal(200, (await analytics.GetJsonAsync($"/api/v1/changes?after={person.Sequence}&limit=1")).Status);
        }

        using var sharing = Sharing();
        var (status, log) = await sharing.PostAsync("/api/v1/persons/access-log", new { personId = person.Id, onBehalfOf = Auditor });

        Assert.Equal(200, status);
        var read = Assert.Single(Reads(log));
        Assert.Equal<(string, string, string, string?)>(("popinfo-analytics", "changes.read", "feed", $"sequences {person.Sequence}-{person.Sequence}"),
            ((string)read["client"]!, (string)read["action"]!, (string)read["via"]!, (string?)read["detail"]));

        // Nothing before the read's time: the window excludes it.
        var (windowed, none) = await sharing.PostAsync("/api/v1/persons/access-log",
            new { personId = person.Id, to = (DateTimeOffset)read["at"]!, onBehalfOf = Auditor });
        Assert.Equal(200, windowed);
        Assert.Empty(Reads(none));
    }

    [Fact]
    public async Task Bad_questions_are_refused_naming_the_field_and_the_rule()
    {
        using var sharing = Sharing();
        Assert.Equal(new[] { ("onBehalfOf", "required"), ("personId", "required") }, await ViolationsAsync(sharing, new { }));
        Assert.Equal(new[] { ("idNumber", "id-number.length") }, await ViolationsAsync(sharing, new { idNumber = "3202051990", onBehalfOf = Auditor }));
        Assert.Equal(new[] { ("idNumber", "id-number.check-character") }, await ViolationsAsync(sharing, new { idNumber = "320205199001010011", onBehalfOf = Auditor }));
        Assert.Equal(new[] { ("idNumber", "person.one-of") }, await ViolationsAsync(sharing, new { personId = Guid.NewGuid(), idNumber = "320205199001010011", onBehalfOf = Auditor }));
        Assert.Equal(new[] { ("limit", "range") }, await ViolationsAsync(sharing, new { personId = Guid.NewGuid(), limit = 1001, onBehalfOf = Auditor }));
        Assert.Equal(new[] { ("onBehalfOf", "user-name.format") }, await ViolationsAsync(sharing, new { personId = Guid.NewGuid(), onBehalfOf = "李 审计" }));

        var (unknown, _) = await sharing.PostAsync("/api/v1/persons/access-log", new { personId = Guid.NewGuid(), onBehalfOf = Auditor });
        Assert.Equal(404, unknown);
    }

    [Fact]
    public async Task Only_an_audit_token_may_ask()
    {
        var body = new { personId = Guid.NewGuid(), onBehalfOf = Auditor };
        using var anonymous = fixture.Host.CreateAnonymousClient();
        Assert.Equal(401, (await anonymous.PostAsync("/api/v1/persons/access-log", body)).Status);
        using var reader = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryRead, PlatformScopes.RegistryWrite], clientId: "popinfo-sharing"));
        var (status, problem) = await reader.PostAsync("/api/v1/persons/access-log", body);
        Assert.Equal(403, status);
        Assert.Equal("token.scope", (string)problem["rule"]!);
        using var elsewhere = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryAudit], clientId: "popinfo-sharing", audiences: [PlatformScopes.Audience("exchange")]));
        Assert.Equal(401, (await elsewhere.PostAsync("/api/v1/persons/access-log", body)).Status);
    }

    private HttpClient Sharing() => ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryAudit], clientId: "popinfo-sharing"));

    private HttpClient ClientWith(string token)
    {
        var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static List<JsonNode> Reads(JsonObject log) => [.. log["reads"]!.AsArray().Select(r => r!)];

    private static async Task<List<(string, string)>> ViolationsAsync(HttpClient client, object body)
    {
        var (status, problem) = await client.PostAsync("/api/v1/persons/access-log", body);
        Assert.Equal(400, status);
        return [.. problem["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!)).Order()];
    }

    private async Task<(string Id, string IdNumber, long Sequence)> RegisterAsync()
    {
        var body = People.Resident();
        var (status, created) = await fixture.Client.PostAsync("/api/v1/persons", body);
        Assert.Equal(201, status);
        return ((string)created["personId"]!, (string)body["idNumber"]!, (long)created["sequence"]!);
    }
}

public sealed class AccessLogOnPostgreSqlTests(PostgreSqlRegistryFixture fixture) : AccessLogBehaviour(fixture), IClassFixture<PostgreSqlRegistryFixture>;

public sealed class AccessLogOnSqliteTests(SqliteRegistryFixture fixture) : AccessLogBehaviour(fixture), IClassFixture<SqliteRegistryFixture>;
