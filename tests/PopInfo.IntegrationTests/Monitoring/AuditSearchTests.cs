using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PopInfo.Domain.Access;
using PopInfo.Domain.Identity;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// The auditors' audit search (docs/monitoring.md, "Audit search") on PostgreSQL and RabbitMQ, the registry, the desk, the
/// exchange and the sharing service asked by the monitoring service with its own client's tokens: a person registered, read at
/// the registry, looked up at the sharing service and corrected at the desk, found in one search oldest first, exactly; each
/// search audited at every source; the actor, action and time filters; paging; a source down; a tampered audit row; who may
/// search; criteria refused by field and rule; no identity number, name or phone in the logs.
/// </summary>
public sealed class AuditSearchTests(AuditSearchFixture fixture) : IClassFixture<AuditSearchFixture>
{
    private const string Auditor = "auditor-zhou";
    private const string Phone = "13912345678";

    [Fact]
    public async Task A_person_read_looked_up_and_changed_is_found_in_one_search_oldest_first_and_the_search_is_audited_at_every_source()
    {
        var story = await StoryAsync("MED-42");
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);
        var searchedAt = DateTimeOffset.UtcNow;
        using var response = await auditor.PostAsJsonAsync("/api/v1/audit/search", new { idNumber = story.IdNumber, from = story.From, to = story.To, limit = 500 });
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, raw);
        var answer = JsonNode.Parse(raw)!.AsObject();

        Assert.Equal(story.PersonId, Guid.Parse((string)answer["personId"]!));
        Assert.Equal(IdentityNumber.Mask(story.IdNumber), (string)answer["maskedIdNumber"]!);
        Assert.True((bool)answer["complete"]!);
        Assert.Null(answer["next"]);
        var all = Entries(answer);
        Assert.Equal(all.Select(e => e.At).Order(), all.Select(e => e.At));
        Assert.All(all, e => Assert.Equal(story.PersonId, e.PersonId));

        // The sharing service and the exchange take the person's changes from the bus and read the feed only when they see a gap
        // or are behind (at most once per change each here): such reads are the person's too (the stretch held the person's
        // change) and are listed, by the reading service's client with their stretch of sequences. The rest is exact.
        var feedReads = FeedReads(all);
        Assert.InRange(feedReads.Count, 0, 4);
        Assert.All(feedReads, e => Assert.Contains($"{e.Actor}|{e.Client}", new[] { "popinfo-sharing|popinfo-sharing", "popinfo-exchange|popinfo-exchange" }));
        Assert.Equal(["registry:True:" + (4 + feedReads.Count), "collection:True:2", "exchange:True:0", "sharing:True:1"],
            answer["sources"]!.AsArray().Select(s => $"{s!["service"]}:{(bool)s["ok"]!}:{(int)s["entries"]!}"));
        var entries = WithoutFeedReads(all);
        Assert.Equal(
            [
                "registry|client:popinfo-tests|client:popinfo-tests||change.registered|||",
                "registry|popinfo-audit-reader|popinfo-audit-reader||person.get|||",
                "sharing|nurse.chen|dept-clinic|clinic|lookup|medical-identity|MED-42|returned",
                $"collection|collector-a||{fixture.Desk.CommunityA}|form.create||correction|ok",
                "registry|popinfo-collection|popinfo-collection||person.get|||",
                $"collection|collector-a||{fixture.Desk.CommunityA}|form.submit||correction|ok",
                $"registry|desk:{fixture.Desk.CommunityA}|rabbitmq:collection||change.corrected||{story.FormId}|",
            ],
            entries.Select(e => string.Join('|', e.Service, e.Actor, Broker(e.Client), e.Unit, e.Action, e.Purpose, e.Reason, e.Outcome)));
        Assert.All(entries.Where(e => e.Service == "collection"), e => Assert.Equal(story.FormId.ToString(), e.Target));
        // Each entry's time lies in the story's range.
        Assert.All(entries, e => Assert.InRange(e.At, story.From, story.To));

        // Nothing of the person but ids and the masked number left the services.
        foreach (var secret in new[] { story.IdNumber, story.Name, Phone })
        {
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        }

        // The search itself, in each source's audit before it answered, the auditor named (seen by a later search for the person).
        var (_, audits) = await auditor.PostAsync("/api/v1/audit/search", new { personId = story.PersonId, from = searchedAt, to = DateTimeOffset.UtcNow });
        Assert.Equal(
            [
                $"registry|popinfo-monitoring|audit.search|for client:popinfo-monitoring for auditor:auditor-zhou; {4 + feedReads.Count} entries",
                "collection|client:popinfo-monitoring for auditor:auditor-zhou|audit.search|2 entries",
                "exchange|client:popinfo-monitoring for auditor:auditor-zhou|audit.search|",
                "sharing|auditor-zhou|audit-search|client:popinfo-monitoring for auditor:auditor-zhou",
            ],
            Entries(audits).OrderBy(e => e.Service switch { "registry" => 0, "collection" => 1, "exchange" => 2, _ => 3 })
                .Select(e => string.Join('|', e.Service, e.Actor, e.Action, e.Reason)));
    }

    [Fact]
    public async Task Actor_action_and_time_filters_narrow_the_search()
    {
        var story = await StoryAsync("MED-43");
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);

        // By user name: the collector's two actions at the desk.
        Assert.Equal(["collection|form.create", "collection|form.submit"],
            await SearchAsync(auditor, new { personId = story.PersonId, actor = "collector-a", from = story.From, to = story.To }));
        // By department code (the sharing service's client dept-clinic is the department clinic).
        Assert.Equal(["sharing|lookup"], await SearchAsync(auditor, new { personId = story.PersonId, actor = "clinic", from = story.From, to = story.To }));
        // By client.
        Assert.Equal(["registry|person.get"], await SearchAsync(auditor, new { personId = story.PersonId, actor = "popinfo-audit-reader", from = story.From, to = story.To }));
        // By action, across services.
        Assert.Equal(["registry|person.get", "registry|person.get"],
            await SearchAsync(auditor, new { personId = story.PersonId, action = "person.get", from = story.From, to = story.To }));
        // By time: before the desk, and from the desk on.
        Assert.Equal(["registry|change.registered", "registry|person.get", "sharing|lookup"],
            await SearchAsync(auditor, new { personId = story.PersonId, from = story.From, to = story.BeforeDesk }));
        Assert.Equal(["collection|form.create", "registry|person.get", "collection|form.submit", "registry|change.corrected"],
            await SearchAsync(auditor, new { personId = story.PersonId, from = story.BeforeDesk, to = story.To }));
        // Without a person: whatever the collector did in the range — signing in, and this story's two actions (the other tests' lie outside it).
        Assert.Equal(["collection|sign-in", "collection|form.create", "collection|form.submit"],
            await SearchAsync(auditor, new { actor = "collector-a", from = story.BeforeDesk, to = story.To }));
    }

    [Fact]
    public async Task Pages_of_two_give_every_entry_once_in_order()
    {
        var story = await StoryAsync("MED-44");
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);
        var whole = Entries((await auditor.PostAsync("/api/v1/audit/search", new { personId = story.PersonId, from = story.From, to = story.To })).Body);
        Assert.Equal(7, WithoutFeedReads(whole).Count);

        var paged = new List<Entry>();
        var pages = 0;
        string? next = null;
        do
        {
            var (status, page) = await auditor.PostAsync("/api/v1/audit/search", new { personId = story.PersonId, from = story.From, to = story.To, limit = 2, after = next });
            Assert.Equal(200, status);
            paged.AddRange(Entries(page));
            next = (string?)page["next"];
            pages++;
        }
        while (next is not null && pages < 20);

        Assert.Equal((whole.Count + 1) / 2, pages);
        Assert.Equal(whole.Select(e => $"{e.Service}:{e.Id}"), paged.Select(e => $"{e.Service}:{e.Id}"));
        Assert.Equal(whole.Count, paged.Select(e => $"{e.Service}:{e.Id}").Distinct().Count());
    }

    [Fact]
    public async Task A_source_that_does_not_answer_is_named_and_the_others_still_answer()
    {
        var story = await StoryAsync("MED-45");
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);
        try
        {
            fixture.Down["sharing"] = true;
            var (status, answer) = await auditor.PostAsync("/api/v1/audit/search", new { idNumber = story.IdNumber, from = story.From, to = story.To });
            Assert.Equal(200, status);
            Assert.False((bool)answer["complete"]!);
            var feedReads = FeedReads(Entries(answer)).Count;
            Assert.Equal(["registry:True::" + (4 + feedReads), "collection:True::2", "exchange:True::0", "sharing:False:HttpRequestException:0"],
                answer["sources"]!.AsArray().Select(s => $"{s!["service"]}:{(bool)s["ok"]!}:{s["problem"]}:{(int)s["entries"]!}"));
            Assert.Equal(6, WithoutFeedReads(Entries(answer)).Count);
            Assert.DoesNotContain(Entries(answer), e => e.Service == "sharing");

            // The registry down as well: the desk and the exchange know persons by id only, so they are not asked for a number.
            fixture.Down["registry"] = true;
            (status, answer) = await auditor.PostAsync("/api/v1/audit/search", new { idNumber = story.IdNumber, from = story.From, to = story.To });
            Assert.Equal(200, status);
            Assert.Equal(["registry:False:HttpRequestException:0", "collection:False:person.unresolved:0", "exchange:False:person.unresolved:0", "sharing:False:HttpRequestException:0"],
                answer["sources"]!.AsArray().Select(s => $"{s!["service"]}:{(bool)s["ok"]!}:{s["problem"]}:{(int)s["entries"]!}"));
            Assert.Empty(Entries(answer));

            // Back: the sharing service answers by the number it finds in its own copy of the register.
            fixture.Down.Clear();
            (_, answer) = await auditor.PostAsync("/api/v1/audit/search", new { idNumber = story.IdNumber, from = story.From, to = story.To, services = new[] { "sharing" } });
            Assert.Equal(["sharing|lookup|MED-45"], Entries(answer).Select(e => $"{e.Service}|{e.Action}|{e.Reason}"));
        }
        finally
        {
            fixture.Down.Clear();
        }
    }

    [Fact]
    public async Task A_tampered_audit_row_breaks_that_services_chain_at_that_entry()
    {
        var story = await StoryAsync("MED-46");
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);
        var (_, intact) = await auditor.GetJsonAsync("/api/v1/audit/chains");
        Assert.True((bool)intact["allIntact"]!, intact.ToJsonString());
        Assert.Equal(["registry:True:", "collection:True:audit_log", "exchange:True:audit_log", "sharing:True:grant_changes,access_audit"],
            intact["services"]!.AsArray().Select(s => $"{s!["service"]}:{(bool)s["answered"]!}:{string.Join(',', s["chains"]!.AsArray().Select(c => (string)c!["table"]!))}"));

        var create = Entries((await auditor.PostAsync("/api/v1/audit/search", new { personId = story.PersonId, action = "form.create", from = story.From, to = story.To })).Body).Single();
        var row = long.Parse(create.Id["desk:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await fixture.ExecuteAsync($"UPDATE collection.audit_log SET detail = 'birth' WHERE id = {row}");
        try
        {
            var (status, broken) = await auditor.GetJsonAsync("/api/v1/audit/chains");
            Assert.Equal(200, status);
            Assert.False((bool)broken["allIntact"]!);
            var chains = broken["services"]!.AsArray().ToDictionary(s => (string)s!["service"]!, s => s!["chains"]!.AsArray());
            var desk = chains["collection"].Single()!;
            Assert.False((bool)desk["intact"]!);
            Assert.Equal(row, (long)desk["brokenAt"]!);
            Assert.Contains("edited", (string)desk["problem"]!, StringComparison.Ordinal);
            Assert.All(chains.Where(c => c.Key != "collection").SelectMany(c => c.Value), c => Assert.True((bool)c!["intact"]!));
        }
        finally
        {
            await fixture.ExecuteAsync($"UPDATE collection.audit_log SET detail = 'correction' WHERE id = {row}");
        }

        Assert.True((bool)(await auditor.GetJsonAsync("/api/v1/audit/chains")).Body["allIntact"]!);
    }

    [Fact]
    public async Task Only_an_auditor_searches_and_only_the_monitoring_client_asks_the_sources()
    {
        var body = new { from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow };
        foreach (var role in new[] { PlatformRoles.Operator, PlatformRoles.Collector, PlatformRoles.Admin, PlatformRoles.Planner })
        {
            using var other = fixture.MonitoringClient(role, "someone-" + role);
            Assert.Equal(403, (await other.PostAsync("/api/v1/audit/search", body)).Status);
            Assert.Equal(403, (await other.GetJsonAsync("/api/v1/audit/chains")).Status);
        }

        using (var anonymous = fixture.Monitoring.CreateClient())
        {
            Assert.Equal(401, (await anonymous.PostAsync("/api/v1/audit/search", body)).Status);
        }

        using (var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor))
        {
            Assert.Equal(200, (await auditor.PostAsync("/api/v1/audit/search", body)).Status);
            Assert.Equal(200, (await auditor.GetJsonAsync("/api/v1/audit/chains")).Status);
        }

        // At the registry: the monitoring client's scope opens the search; an auditor's own token with registry.audit does not,
        // nor does registry.read.
        var sourceBody = new { from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow, onBehalfOf = Auditor };
        foreach (var (token, expected) in new[]
                 {
                     (TestIssuer.Shared.Token([PlatformScopes.RegistryAuditSearch], "popinfo-monitoring"), 200),
                     (TestIssuer.Shared.Token([PlatformScopes.RegistryAudit], "popinfo-audit-desk", subject: Auditor, role: PlatformRoles.Auditor), 403),
                     (TestIssuer.Shared.Token([PlatformScopes.RegistryRead], "popinfo-sharing"), 403),
                     // Another service's audit-search scope is for that service's audience, which the registry does not take at all.
                     (TestIssuer.Shared.Token([PlatformScopes.SharingAuditSearch], "popinfo-monitoring"), 401),
                 })
        {
            using var client = fixture.Desk.Registry.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(expected, (await client.PostAsync("/api/v1/audit/search", sourceBody)).Status);
        }

        // A service's token must name the auditor.
        using var unnamed = fixture.Desk.Registry.CreateClient();
        unnamed.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([PlatformScopes.RegistryAuditSearch], "popinfo-monitoring"));
        var (refused, problem) = await unnamed.PostAsync("/api/v1/audit/search", new { from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow });
        Assert.Equal(400, refused);
        Assert.Equal([("onBehalfOf", AuditorOnBehalf.Required)], problem.Violations());
    }

    [Fact]
    public async Task Bad_criteria_are_refused_naming_each_field_and_rule()
    {
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);
        var (status, problem) = await auditor.PostAsync("/api/v1/audit/search", new { personId = Guid.NewGuid(), idNumber = "320205198001010017", limit = 0, services = new[] { "analytics" } });
        Assert.Equal(400, status);
        Assert.Equal(
            [("idNumber", PersonNamed.OneOf), ("from", AuditSearchRules.Required), ("to", AuditSearchRules.Required), ("limit", AuditSearchRules.Range), ("services", "service.unknown")],
            problem.Violations());

        (status, problem) = await auditor.PostAsync("/api/v1/audit/search", new
        {
            from = DateTimeOffset.UtcNow.AddDays(-400), to = DateTimeOffset.UtcNow, actor = "two words", after = "not a cursor!",
        });
        Assert.Equal(400, status);
        Assert.Equal([("to", AuditSearchRules.TimeSpanRule), ("actor", AuditSearchRules.TextFormat), ("after", AuditSearchRules.CursorFormat)], problem.Violations());

        (status, problem) = await auditor.PostAsync("/api/v1/audit/search", new { idNumber = "320205198001010018", from = DateTimeOffset.UtcNow, to = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Equal(400, status);
        Assert.Equal([("idNumber", IdentityNumberRules.CheckCharacter), ("to", AuditSearchRules.TimeRange)], problem.Violations());
        Assert.DoesNotContain("320205198001010018", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_identity_number_name_or_phone_reaches_the_logs()
    {
        var story = await StoryAsync("MED-47");
        using var auditor = fixture.MonitoringClient(PlatformRoles.Auditor, Auditor);
        Assert.Equal(200, (await auditor.PostAsync("/api/v1/audit/search", new { idNumber = story.IdNumber, from = story.From, to = story.To })).Status);
        Assert.Equal(200, (await auditor.GetJsonAsync("/api/v1/audit/chains")).Status);

        var lines = fixture.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("Audit search by auditor auditor-zhou: person named True, ", StringComparison.Ordinal));
        foreach (var secret in new[] { story.IdNumber, story.Name, Phone })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    private sealed record Entry(string Service, string Id, DateTimeOffset At, string Actor, string? Client, string? Unit, string Action, string? Target,
        string? Purpose, string? Reason, Guid? PersonId, string? Outcome);

    private static List<Entry> Entries(JsonObject answer) => [.. answer["entries"]!.AsArray().Select(e => new Entry(
        (string)e!["service"]!, (string)e["id"]!, DateTimeOffset.Parse((string)e["at"]!, System.Globalization.CultureInfo.InvariantCulture), (string)e["actor"]!,
        (string?)e["client"], (string?)e["unit"], (string)e["action"]!, (string?)e["target"], (string?)e["purpose"], (string?)e["reason"],
        e["personId"] is { } p ? Guid.Parse((string)p!) : null, (string?)e["outcome"]))];

    // The sharing service's and the exchange's reads of the change feed (see the first test): how many depends on the bus, not on the search.
    private static List<Entry> FeedReads(List<Entry> entries) =>
        [.. entries.Where(e => e.Service == "registry" && e.Action == "changes.read" && e.Reason?.StartsWith("sequences ", StringComparison.Ordinal) == true)];

    private static List<Entry> WithoutFeedReads(List<Entry> entries) => [.. entries.Except(FeedReads(entries))];

    private static async Task<List<string>> SearchAsync(HttpClient auditor, object criteria)
    {
        var (status, answer) = await auditor.PostAsync("/api/v1/audit/search", criteria);
        Assert.True(status == 200, answer.ToJsonString());
        return [.. WithoutFeedReads(Entries(answer)).Select(e => $"{e.Service}|{e.Action}")];
    }

    // The broker user of the desk carries the test's prefix (popinfo-t…-collection): compared by the service it names.
    private static string? Broker(string? client) =>
        client is not null && client.StartsWith("rabbitmq:", StringComparison.Ordinal) ? "rabbitmq:" + client[(client.LastIndexOf('-') + 1)..] : client;

    /// <summary>What one test's person went through, and the time range that holds it (<see cref="BeforeDesk"/>: between the sharing service and the desk).</summary>
    private sealed record Story(Guid PersonId, string IdNumber, string Name, Guid FormId, DateTimeOffset From, DateTimeOffset BeforeDesk, DateTimeOffset To);

    /// <summary>
    /// A resident registered (by the tests' client) and taken into the sharing service's copy; read at the registry by another
    /// client; looked up at the sharing service by a department's nurse with a case reference; corrected at the desk by community
    /// A's collector (a form created and submitted, the registry's change sent over the bus, taken into the sharing service's copy).
    /// Waits are on the databases and the read model, never through the audited APIs.
    /// </summary>
    private async Task<Story> StoryAsync(string caseReference)
    {
        await GrantAsync("clinic");
        var from = DateTimeOffset.UtcNow;
        var (personId, idNumber, version) = await fixture.Desk.RegisterResidentAsync();
        await fixture.SharingCaughtUpAsync();
        using (var reader = fixture.Desk.Registry.CreateClient())
        {
            reader.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([PlatformScopes.RegistryRead], "popinfo-audit-reader"));
            Assert.Equal(200, (await reader.GetJsonAsync($"/api/v1/persons/{personId}")).Status);
        }

        using (var clinic = fixture.Sharing.CreateClient())
        {
            clinic.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId("clinic")));
            var (looked, answer) = await clinic.PostAsync("/api/v1/lookup", new { idNumber, purpose = "medical-identity", caseReference, endUser = "nurse.chen" });
            Assert.True(looked == 200, answer.ToJsonString());
        }

        var beforeDesk = DateTimeOffset.UtcNow;
        using var desk = await fixture.Desk.SignInAsync("collector-a");
        var (created, draft) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", personId, expectedVersion = version, data = new { occupation = "教师", reason = "职业变更" },
        });
        Assert.True(created == 201, draft.ToJsonString());
        var formId = Guid.Parse((string)draft["id"]!);
        Assert.Equal(202, (await desk.PostAsync($"/api/v1/forms/{formId}/submit", new { })).Status);
        await Eventually.TrueAsync(async () => await fixture.ExecuteAsync($"SELECT count(*) FROM collection.forms WHERE id = '{formId}' AND state = 'accepted'") == 1,
            TimeSpan.FromSeconds(30), "the correction to be accepted");
        await fixture.SharingCaughtUpAsync();
        return new(personId, idNumber, "王芳", formId, from, beforeDesk, DateTimeOffset.UtcNow.AddMilliseconds(1));
    }

    private async Task GrantAsync(string code)
    {
        using var admin = fixture.Sharing.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([PlatformScopes.SharingAdmin], "popinfo-admin-page", subject: "admin"));
        using var response = await admin.PutAsJsonAsync($"/api/v1/grants/dept-{code}", new
        {
            operations = new[] { "lookup" },
            fields = new Dictionary<string, string> { ["name"] = "plain" },
            regions = new[] { fixture.Desk.CommunityA },
            purposes = new[] { "medical-identity" },
            requestsPerMinute = 600,
            dailyQuota = 10_000,
            mayTellNotFound = false,
        });
        // 428: granted by an earlier test of the class (a change needs the grant's version).
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.PreconditionRequired, await response.Content.ReadAsStringAsync());
    }
}
