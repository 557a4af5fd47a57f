using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;
using static PopInfo.IntegrationTests.Sharing.SharingTestKit;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The departments' operations against the registry's copy (PostgreSQL + RabbitMQ): who may ask, what each operation
/// answers, that a field outside the grant never appears (every operation and the batch forms), masks, batches and quotas.
/// </summary>
public sealed class OperationsTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    private static readonly string[] Paths = ["/api/v1/verify", "/api/v1/lookup", "/api/v1/batch/verify", "/api/v1/batch/lookup", "/api/v1/household"];

    // A well-formed body of each operation (same order as Paths) asking about the person with the number.
    private static JsonObject[] Bodies(string idNumber, string purpose = Purpose, string caseReference = "2026-0001", string? endUser = null) =>
    [
        Body(new { idNumber, name = "王芳" }, purpose, caseReference, endUser),
        Body(new { idNumber }, purpose, caseReference, endUser),
        Body(new { items = new[] { new { idNumber, name = "王芳" } } }, purpose, caseReference, endUser),
        Body(new { items = new[] { new { idNumber } } }, purpose, caseReference, endUser),
        Body(new { idNumber }, purpose, caseReference, endUser),
    ];

    [Fact]
    public async Task No_operation_answers_without_a_token_the_scope_an_active_grant_the_operation_or_the_purpose()
    {
        await ReadyAsync(fixture);
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.CaughtUpAsync();
        var sharing = fixture.Sharing!;
        using var anonymous = sharing.ClientWithToken(null);
        using var otherService = sharing.ClientWithToken(TestIssuer.Shared.Token([PlatformScopes.RegistryRead], PlatformScopes.DepartmentClientId("denied-scope")));
        using var wrongScope = sharing.ClientWithToken(TestIssuer.Shared.Token([PlatformScopes.RegistryRead], PlatformScopes.DepartmentClientId("denied-scope"),
            audiences: [PlatformScopes.AudienceOf[PlatformScopes.SharingRead]]));
        using var noGrant = sharing.CreateDepartmentClient("denied-none");
        using var verifyOnly = await DepartmentAsync(fixture, "denied-ops", Grant(["verify"], new { name = "plain" }));
        using var suspended = await DepartmentAsync(fixture, "denied-susp", Grant(AllOperations, new { name = "plain" }));
        using (var admin = sharing.CreateAdminClient())
        {
            Assert.Equal(200, (await admin.PostAsync("/api/v1/grants/dept-denied-susp/suspend", new { })).Status);
        }

        for (var i = 0; i < Paths.Length; i++)
        {
            var body = Bodies(person.IdNumber)[i];
            Assert.Equal(401, (await anonymous.PostAsync(Paths[i], body)).Status);

            var (status, problem) = await otherService.PostAsync(Paths[i], body);
            Assert.Equal((401, "token.valid"), (status, (string?)problem["rule"]));

            (status, problem) = await wrongScope.PostAsync(Paths[i], body);
            Assert.Equal((403, "token.scope"), (status, (string?)problem["rule"]));

            (status, problem) = await noGrant.PostAsync(Paths[i], body);
            Assert.Equal((403, "grant.none"), (status, (string?)problem["rule"]));

            (status, problem) = await suspended.PostAsync(Paths[i], body);
            Assert.Equal((403, "grant.none"), (status, (string?)problem["rule"]));
            Assert.Contains("suspended", (string)problem["detail"]!, StringComparison.Ordinal);

            (status, problem) = await verifyOnly.PostAsync(Paths[i], body);
            if (i == 0)
            {
                Assert.Equal(200, status);
                Assert.Equal("match", (string?)problem["outcome"]);
            }
            else
            {
                Assert.Equal((403, "grant.operation"), (status, (string?)problem["rule"]));
            }
        }

        // The purpose: outside the grant (403), not a purpose code (400), absent (400).
        var (purposeStatus, purposeProblem) = await verifyOnly.PostAsync("/api/v1/verify", Bodies(person.IdNumber, purpose: "medical-identity")[0]);
        Assert.Equal((403, "grant.purpose"), (purposeStatus, (string?)purposeProblem["rule"]));
        (purposeStatus, purposeProblem) = await verifyOnly.PostAsync("/api/v1/verify", Bodies(person.IdNumber, purpose: "curiosity")[0]);
        Assert.Equal(400, purposeStatus);
        Assert.Equal([("purpose", "purpose.unknown")], purposeProblem.Violations());
        var noPurpose = Bodies(person.IdNumber)[0];
        noPurpose.Remove("purpose");
        (purposeStatus, purposeProblem) = await verifyOnly.PostAsync("/api/v1/verify", noPurpose);
        Assert.Equal(400, purposeStatus);
        Assert.Equal([("purpose", "purpose.unknown")], purposeProblem.Violations());

        // The request's form: a case reference is required, an end user has the form of a user name.
        var (formStatus, formProblem) = await verifyOnly.PostAsync("/api/v1/verify", Bodies(person.IdNumber, caseReference: " ")[0]);
        Assert.Equal(400, formStatus);
        Assert.Equal([("caseReference", "request.case-reference")], formProblem.Violations());
        (formStatus, formProblem) = await verifyOnly.PostAsync("/api/v1/verify", Bodies(person.IdNumber, endUser: "李 科员")[0]);
        Assert.Equal(400, formStatus);
        Assert.Equal([("endUser", "request.end-user")], formProblem.Violations());

        // A malformed identity number: named, never echoed.
        var wrongCheck = person.IdNumber[..17] + (person.IdNumber[17] == '0' ? '1' : '0');
        using var allOperations = await DepartmentAsync(fixture, "denied-form", Grant(AllOperations, new { name = "plain" }));
        foreach (var i in new[] { 0, 1, 4 })
        {
            var body = Bodies(wrongCheck)[i];
            using var response = await allOperations.PostAsJsonAsync(Paths[i], body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal([("idNumber", "question.id-number")], JsonNode.Parse(text)!.AsObject().Violations());
            Assert.DoesNotContain(wrongCheck, text, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongCheck[..17], text, StringComparison.Ordinal);
        }

        // Nothing refused was audited or counted; the one answered verification was.
        foreach (var code in new[] { "denied-scope", "denied-none", "denied-susp", "denied-form" })
        {
            Assert.Empty(await AuditRowsAsync(fixture, code));
        }

        var rows = await AuditRowsAsync(fixture, "denied-ops");
        Assert.Equal([("verify", person.Id, "match")], rows.Select(r => (r.Operation, r.PersonId, r.Outcome)));
        Assert.Equal(1L, (long)(await verifyOnly.GetJsonAsync("/api/v1/usage")).Body["used"]!);
    }

    [Fact]
    public async Task A_field_outside_the_grant_never_appears_in_any_operation_or_batch_and_masks_apply()
    {
        await ReadyAsync(fixture);
        var head = await fixture.RegisterAsync(fixture.Communities[0]);
        var member = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.HouseholdAsync(fixture.Communities[0], head.Id, member.Id);
        await fixture.CaughtUpAsync();

        // Name masked, birth date plain, occupation plain (the record has none): only name and birthDate may appear.
        using var narrow = await DepartmentAsync(fixture, "fields-narrow", Grant(AllOperations, new { name = "masked", birthDate = "plain", occupation = "plain" }));
        var shown = await EveryPersonShownAsync(narrow, head, member);
        Assert.Equal(8, shown.Count);
        foreach (var person in shown)
        {
            Assert.Equal(["birthDate", "name"], Keys(person));
            Assert.Equal("王*", (string?)person["name"]);
            Assert.Contains((string)person["birthDate"]!, new[] { head.BirthDate, member.BirthDate });
        }

        // Identity number and phone masked, name plain.
        using var masked = await DepartmentAsync(fixture, "fields-masked", Grant(AllOperations, new { idNumber = "masked", phone = "masked", name = "plain" }));
        shown = await EveryPersonShownAsync(masked, head, member);
        Assert.Equal(8, shown.Count);
        foreach (var person in shown)
        {
            Assert.Equal(["idNumber", "name", "phone"], Keys(person));
            Assert.Matches("^3202\\*{10}[0-9]{3}[0-9X]$", (string)person["idNumber"]!);
            Assert.Equal("139****5678", (string?)person["phone"]);
            Assert.Equal("王芳", (string?)person["name"]);
        }

        // The answer of a look-up by number names that person's masked number.
        var byNumber = (await masked.PostAsync("/api/v1/lookup", Body(new { idNumber = head.IdNumber }))).Body;
        Assert.Equal(MaskedNumber(head.IdNumber), (string?)byNumber["people"]![0]!["idNumber"]);

        // Verifications carry no personal data at all.
        var verified = (await narrow.PostAsync("/api/v1/verify", Body(new { idNumber = head.IdNumber, name = "王芳" }))).Body;
        Assert.Equal(["asOfSequence", "outcome"], Keys(verified));
        var batch = (await narrow.PostAsync("/api/v1/batch/verify", Body(new { items = new[] { new { idNumber = head.IdNumber, name = "王芳" } } }))).Body;
        Assert.Equal(["asOfSequence", "results"], Keys(batch));
        Assert.Equal(["index", "outcome"], Keys(batch["results"]![0]));
    }

    // Every person object each operation returns for the two household members: by number (2), by name and birth date
    // (2), batch by number (2), household (2).
    private static async Task<List<JsonObject>> EveryPersonShownAsync(HttpClient client,
        (Guid Id, string IdNumber, string Name, string BirthDate) head, (Guid Id, string IdNumber, string Name, string BirthDate) member)
    {
        var shown = new List<JsonObject>();
        foreach (var p in new[] { head, member })
        {
            var (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { idNumber = p.IdNumber }));
            Assert.Equal(200, status);
            shown.Add(Assert.Single(answer["people"]!.AsArray())!.AsObject());
        }

        foreach (var p in new[] { head, member })
        {
            var (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { name = "王芳", birthDate = p.BirthDate, region = SharingTestKit.Street }));
            Assert.Equal(200, status);
            Assert.True((int)answer["matches"]! >= 1);
            shown.AddRange(answer["people"]!.AsArray().Select(x => x!.AsObject()).Take(1));
        }

        var (batchStatus, batch) = await client.PostAsync("/api/v1/batch/lookup", Body(new { items = new[] { new { idNumber = head.IdNumber }, new { idNumber = member.IdNumber } } }));
        Assert.Equal(200, batchStatus);
        foreach (var result in batch["results"]!.AsArray())
        {
            shown.Add(Assert.Single(result!["people"]!.AsArray())!.AsObject());
        }

        var (householdStatus, household) = await client.PostAsync("/api/v1/household", Body(new { idNumber = member.IdNumber }));
        Assert.Equal(200, householdStatus);
        Assert.Equal(2, household["members"]!.AsArray().Count);
        shown.AddRange(household["members"]!.AsArray().Select(m => m!["person"]!.AsObject()));
        return shown;
    }

    [Fact]
    public async Task Verify_answers_match_no_match_deceased_moved_away_and_not_found_only_where_granted()
    {
        await ReadyAsync(fixture);
        var yesterday = CityDate.Text(CityDate.Today.AddDays(-1));
        var living = await fixture.RegisterAsync(fixture.Communities[0]);
        var dead = await fixture.RegisterAsync(fixture.Communities[1]);
        var gone = await fixture.RegisterAsync(fixture.Communities[0]);
        var spaced = await RegisterNamedAsync(fixture, fixture.Communities[0], "欧阳 娜娜", new DateOnly(1971, 3, 9), 2);
        await fixture.CommandAsync(dead.Id, "death", new { deathDate = yesterday });
        await fixture.CommandAsync(gone.Id, "move-out", new { moveDate = yesterday, destination = "上海市浦东新区" });
        await fixture.CaughtUpAsync();
        var last = await fixture.RegistryLastAsync();
        using var plain = await DepartmentAsync(fixture, "verify-plain", Grant(["verify"], new { name = "plain" }));
        using var telling = await DepartmentAsync(fixture, "verify-tell", Grant(["verify"], new { name = "plain" }, mayTellNotFound: true));
        var unknown = UnknownNumber();

        async Task<string> Outcome(HttpClient client, string idNumber, string name, string? birthDate = null, string? sex = null)
        {
            var (status, answer) = await client.PostAsync("/api/v1/verify", Body(new { idNumber, name, birthDate, sex }));
            Assert.Equal(200, status);
            Assert.Equal(last, (long)answer["asOfSequence"]!);
            return (string)answer["outcome"]!;
        }

        Assert.Equal("match", await Outcome(plain, living.IdNumber, "王芳"));
        Assert.Equal("match", await Outcome(plain, living.IdNumber, "王芳", living.BirthDate, "2"));
        Assert.Equal("no-match", await Outcome(plain, living.IdNumber, "王芬"));
        Assert.Equal("no-match", await Outcome(plain, living.IdNumber, "王芳", DateOnly.Parse(living.BirthDate).AddDays(1).ToString("yyyy-MM-dd")));
        Assert.Equal("no-match", await Outcome(plain, living.IdNumber, "王芳", sex: "1"));

        // A status only on a full match: a wrong detail of a dead or departed person is just no-match.
        Assert.Equal("deceased", await Outcome(plain, dead.IdNumber, "王芳", dead.BirthDate));
        Assert.Equal("no-match", await Outcome(plain, dead.IdNumber, "王芬"));
        Assert.Equal("no-match", await Outcome(plain, dead.IdNumber, "王芳", sex: "1"));
        Assert.Equal("moved-away", await Outcome(plain, gone.IdNumber, "王芳"));
        Assert.Equal("no-match", await Outcome(plain, gone.IdNumber, "张伟"));

        // An unknown (valid) number: no-match, unless the grant may tell not-found apart.
        Assert.Equal("no-match", await Outcome(plain, unknown, "王芳"));
        Assert.Equal("not-found", await Outcome(telling, unknown, "王芳"));
        Assert.Equal("match", await Outcome(telling, living.IdNumber, "王芳"));

        // Names compared after NFKC and collapsing spaces: a full-width space, runs of spaces, outer spaces.
        Assert.Equal("match", await Outcome(plain, spaced.IdNumber, "欧阳\u3000娜娜"));
        Assert.Equal("match", await Outcome(plain, spaced.IdNumber, "  欧阳   娜娜 "));
        Assert.Equal("no-match", await Outcome(plain, spaced.IdNumber, "欧阳娜娜"));
    }

    [Fact]
    public async Task Look_up_by_number_or_by_name_and_birth_date_within_the_grants_regions()
    {
        await ReadyAsync(fixture);
        var birth = new DateOnly(1972, 5, 17);
        var first = await RegisterNamedAsync(fixture, fixture.Communities[0], "陈静怡", birth, 2);
        var second = await RegisterNamedAsync(fixture, fixture.Communities[0], "陈静怡", birth, 4);
        var third = await RegisterNamedAsync(fixture, fixture.Communities[1], "陈静怡", birth, 6);
        var outside = await RegisterNamedAsync(fixture, fixture.Communities[2], "陈静怡", birth, 8);
        var otherBirth = await RegisterNamedAsync(fixture, fixture.Communities[0], "陈静怡", birth.AddDays(1), 2);
        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "lookup", Grant(["lookup"], new { idNumber = "plain", name = "plain", residenceRegionCode = "plain" }));

        // By name and birth date: the three within the grant's street, none outside it, none of another birth date.
        var (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { name = "陈静怡", birthDate = "1972-05-17" }));
        Assert.Equal(200, status);
        Assert.Equal(3, (int)answer["matches"]!);
        Assert.Equal(
            new[] { first.IdNumber, second.IdNumber, third.IdNumber }.Order(StringComparer.Ordinal),
            answer["people"]!.AsArray().Select(p => (string)p!["idNumber"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(outside.IdNumber, answer.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(otherBirth.IdNumber, answer.ToJsonString(), StringComparison.Ordinal);

        // Within a region (the second community): only the one living there.
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { name = "陈静怡", birthDate = "1972-05-17", region = fixture.Communities[1] }));
        Assert.Equal(200, status);
        Assert.Equal(1, (int)answer["matches"]!);
        Assert.Equal(third.IdNumber, (string?)Assert.Single(answer["people"]!.AsArray())!["idNumber"]);
        Assert.Equal(fixture.Communities[1], (string?)answer["people"]![0]!["residenceRegionCode"]);

        // By number: that person; a person outside the grant's regions is not held; neither is an unknown number.
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { idNumber = second.IdNumber }));
        Assert.Equal((200, 1), (status, (int)answer["matches"]!));
        Assert.Equal(second.IdNumber, (string?)Assert.Single(answer["people"]!.AsArray())!["idNumber"]);
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { idNumber = outside.IdNumber }));
        Assert.Equal((200, 0), (status, (int)answer["matches"]!));
        Assert.Empty(answer["people"]!.AsArray());
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { idNumber = UnknownNumber() }));
        Assert.Equal((200, 0), (status, (int)answer["matches"]!));

        // The question's form: a number and a name together, a name without a birth date, an unknown region.
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { idNumber = first.IdNumber, name = "陈静怡" }));
        Assert.Equal(400, status);
        Assert.Equal([("idNumber", "question.lookup-key")], answer.Violations());
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { name = "陈静怡" }));
        Assert.Equal(400, status);
        Assert.Equal([("birthDate", "question.lookup-key")], answer.Violations());
        (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { name = "陈静怡", birthDate = "1972-05-17", region = "999999" }));
        Assert.Equal(400, status);
        Assert.Equal([("region", "question.region")], answer.Violations());
    }

    [Fact]
    public async Task A_look_up_by_name_lists_20_counts_every_match_and_audits_those_listed()
    {
        await ReadyAsync(fixture);
        var birth = new DateOnly(1973, 8, 21);
        var registered = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 23; i++)
        {
            registered.Add((await RegisterNamedAsync(fixture, fixture.Communities[i % 2], "林晓雯", birth, 2 * (i + 1))).IdNumber);
        }

        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "many", Grant(["lookup", "batch-lookup"], new { idNumber = "plain" }));
        var (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { name = "林晓雯", birthDate = "1973-08-21" }));
        Assert.Equal(200, status);
        Assert.Equal(23, (int)answer["matches"]!);
        var listed = answer["people"]!.AsArray().Select(p => (string)p!["idNumber"]!).ToList();
        Assert.Equal(20, listed.Count);
        Assert.Equal(20, listed.Distinct().Count());
        Assert.Subset(registered, listed.ToHashSet(StringComparer.Ordinal));

        (status, answer) = await client.PostAsync("/api/v1/batch/lookup", Body(new { items = new[] { new { name = "林晓雯", birthDate = "1973-08-21" } } }));
        Assert.Equal(200, status);
        Assert.Equal((23, 20), ((int)answer["results"]![0]!["matches"]!, answer["results"]![0]!["people"]!.AsArray().Count));

        // One audit row per person listed (20 + 20), none for the three counted only.
        var rows = await AuditRowsAsync(fixture, "many");
        Assert.Equal(40, rows.Count);
        Assert.All(rows, r => Assert.Equal(("returned", "idNumber"), (r.Outcome, r.Fields)));
        Assert.Equal(20, rows.Where(r => r.Operation == "lookup").Select(r => r.PersonId).Distinct().Count());
    }

    [Fact]
    public async Task Batches_answer_each_item_on_its_own_count_each_item_and_refuse_more_than_1000()
    {
        await ReadyAsync(fixture);
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "batch", Grant(AllOperations, new { name = "plain" }));
        var unknown = UnknownNumber();

        var (status, answer) = await client.PostAsync("/api/v1/batch/verify", Body(new
        {
            items = new object[]
            {
                new { idNumber = person.IdNumber, name = "王芳" },
                new { idNumber = "12345", name = "王芳" },
                new { idNumber = person.IdNumber, name = "王芬" },
                new { idNumber = person.IdNumber, name = "", sex = "5" },
                new { idNumber = unknown, name = "王芳" },
            },
        }));
        Assert.Equal(200, status);
        var results = answer["results"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => (int)r!["index"]!));
        Assert.Equal(["match", null, "no-match", null, "no-match"], results.Select(r => (string?)r!["outcome"]));
        Assert.Equal([("idNumber", "question.id-number")], Problems(results[1]));
        Assert.Equal([("name", "question.name"), ("sex", "question.sex")], Problems(results[3]));
        Assert.DoesNotContain("12345", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(5L, (long)(await client.GetJsonAsync("/api/v1/usage")).Body["used"]!);

        (status, answer) = await client.PostAsync("/api/v1/batch/lookup", Body(new
        {
            items = new object[]
            {
                new { idNumber = person.IdNumber },
                new { idNumber = person.IdNumber, region = "999999" },
                new { idNumber = unknown },
                new { name = "王芳" },
            },
        }));
        Assert.Equal(200, status);
        results = answer["results"]!.AsArray();
        Assert.Equal([1, 0, 0, 0], results.Select(r => (int)r!["matches"]!));
        Assert.Equal(["王芳"], results[0]!["people"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal([("region", "question.region")], Problems(results[1]));
        Assert.Empty(results[2]!["people"]!.AsArray());
        Assert.Null(results[2]!["problems"]);
        Assert.Equal([("birthDate", "question.lookup-key")], Problems(results[3]));
        Assert.Equal(9L, (long)(await client.GetJsonAsync("/api/v1/usage")).Body["used"]!);

        // 1,001 items: refused whole, nothing counted, nothing audited; 1,000 are answered.
        var rowsBefore = (await AuditRowsAsync(fixture, "batch")).Count;
        Assert.Equal(9, rowsBefore);
        var tooMany = Enumerable.Range(0, 1001).Select(_ => new { idNumber = person.IdNumber, name = "王芳" }).ToArray();
        (status, answer) = await client.PostAsync("/api/v1/batch/verify", Body(new { items = tooMany }));
        Assert.Equal(400, status);
        Assert.Equal([("items", "question.batch-size")], answer.Violations());
        (status, answer) = await client.PostAsync("/api/v1/batch/lookup", Body(new { items = tooMany.Select(i => new { i.idNumber }).ToArray() }));
        Assert.Equal(400, status);
        Assert.Equal([("items", "question.batch-size")], answer.Violations());
        Assert.Equal(9L, (long)(await client.GetJsonAsync("/api/v1/usage")).Body["used"]!);
        Assert.Equal(9, (await AuditRowsAsync(fixture, "batch")).Count);

        (status, answer) = await client.PostAsync("/api/v1/batch/verify", Body(new { items = tooMany[..1000] }));
        Assert.Equal(200, status);
        Assert.Equal(1000, answer["results"]!.AsArray().Count(r => (string?)r!["outcome"] == "match"));
        Assert.Equal(1009L, (long)(await client.GetJsonAsync("/api/v1/usage")).Body["used"]!);
        Assert.Equal(1009, (await AuditRowsAsync(fixture, "batch")).Count);
    }

    [Fact]
    public async Task Household_lists_members_with_relationships_and_granted_fields_only()
    {
        await ReadyAsync(fixture);
        var head = await fixture.RegisterAsync(fixture.Communities[1]);
        var child = await fixture.RegisterAsync(fixture.Communities[1], sex: "1");
        var alone = await fixture.RegisterAsync(fixture.Communities[1]);
        await fixture.HouseholdAsync(fixture.Communities[1], head.Id, child.Id);
        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "household", Grant(["household"], new { name = "plain", sex = "plain" }));

        foreach (var asked in new[] { head.IdNumber, child.IdNumber })
        {
            var (status, answer) = await client.PostAsync("/api/v1/household", Body(new { idNumber = asked }));
            Assert.Equal(200, status);
            var members = answer["members"]!.AsArray();
            Assert.Equal(
                [("02", "王芳", "2"), ("10", "张伟", "1")],
                members.Select(m => ((string?)m!["relationshipToHead"], (string?)m["person"]!["name"], (string?)m["person"]!["sex"])).Order());
            Assert.All(members, m => Assert.Equal(["name", "sex"], Keys(m!["person"])));
        }

        var (aloneStatus, aloneAnswer) = await client.PostAsync("/api/v1/household", Body(new { idNumber = alone.IdNumber }));
        Assert.Equal(200, aloneStatus);
        Assert.Empty(aloneAnswer["members"]!.AsArray());
    }

    [Fact]
    public async Task The_daily_quota_refuses_the_item_past_it_with_retry_after_and_counts_nothing_refused()
    {
        await ReadyAsync(fixture);
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "quota", Grant(AllOperations, new { name = "plain" }, dailyQuota: 3));
        var item = new { idNumber = person.IdNumber, name = "王芳" };

        Assert.Equal(200, (await client.PostAsync("/api/v1/batch/verify", Body(new { items = new[] { item, item } }))).Status);

        // Two more would pass the quota: refused whole, nothing counted.
        using (var refused = await client.PostAsJsonAsync("/api/v1/batch/verify", Body(new { items = new[] { item, item } })))
        {
            Assert.Equal(429, (int)refused.StatusCode);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(("quota.daily", 2L, 3), ((string?)problem["rule"], (long)problem["used"]!, (int)problem["dailyQuota"]!));
        }

        var usage = (await client.GetJsonAsync("/api/v1/usage")).Body;
        Assert.Equal((2L, 3, 1L), ((long)usage["used"]!, (int)usage["dailyQuota"]!, (long)usage["remaining"]!));

        Assert.Equal("match", (string?)(await client.PostAsync("/api/v1/verify", Body(item))).Body["outcome"]);

        // The fourth item.
        using var fourth = await client.PostAsJsonAsync("/api/v1/lookup", Body(new { idNumber = person.IdNumber }));
        Assert.Equal(429, (int)fourth.StatusCode);
        var retryAfter = int.Parse(Assert.Single(fourth.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 86_400);
        var fourthProblem = JsonNode.Parse(await fourth.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("quota.daily", (string?)fourthProblem["rule"]);
        Assert.Equal(retryAfter, (int)fourthProblem["retryAfterSeconds"]!);
        Assert.DoesNotContain(person.IdNumber, fourthProblem.ToJsonString(), StringComparison.Ordinal);

        usage = (await client.GetJsonAsync("/api/v1/usage")).Body;
        Assert.Equal((3L, 0L), ((long)usage["used"]!, (long)usage["remaining"]!));
        Assert.Equal(3, (await AuditRowsAsync(fixture, "quota")).Count);
    }

    private static IReadOnlyList<(string Field, string Rule)> Problems(JsonNode? result) =>
        [.. result!["problems"]!.AsArray().Select(p => ((string)p!["field"]!, (string)p["rule"]!))];
}
