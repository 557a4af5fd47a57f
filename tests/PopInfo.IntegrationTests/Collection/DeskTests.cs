using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>The collector's desk against real PostgreSQL and RabbitMQ, with the registry applying its forms.</summary>
public sealed class DeskTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task A_birth_submitted_at_the_desk_is_accepted_by_the_registry_with_its_version_and_sequence()
    {
        var (motherId, motherIdNumber, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");

        var (status, created) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(motherIdNumber));
        Assert.Equal(201, status);
        Assert.Equal("submitted", (string)created["state"]!);
        var formId = Guid.Parse((string)created["id"]!);

        var form = await DeskFixture.WaitForAnswerAsync(desk, formId);
        Assert.Equal("accepted", (string)form["state"]!);
        Assert.Equal(1, (int)form["registry"]!["version"]!);
        Assert.True((long)form["registry"]!["sequence"]! > 0);
        Assert.Contains(form["events"]!.AsArray(), e => (string)e!["event"]! == "accepted");

        // The register has the child, with the mother's household region as its residence and the form as correlation.
        var childIdNumber = (string)created["data"]!["idNumber"]!;
        var (found, person) = await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{childIdNumber}");
        Assert.Equal(200, found);
        Assert.Equal((string)form["registry"]!["personId"]!, (string)person["person"]!["personId"]!);
        Assert.Equal(fixture.CommunityA, (string)person["person"]!["residenceRegionCode"]!);
        Assert.NotEqual(motherId, Guid.Parse((string)person["person"]!["personId"]!));
    }

    [Fact]
    public async Task A_form_that_breaks_rules_is_refused_naming_field_and_rule_and_nothing_is_sent()
    {
        using var desk = await fixture.SignInAsync("collector-a");
        var (status, draft) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "migrant-arrival",
            data = new { idNumber = "320205199001011235", name = "赵六", sex = "2", birthDate = "1990-01-02", ethnicity = "99", expectedStayMonths = "0" },
        });
        Assert.Equal(201, status);
        var formId = (string)draft["id"]!;
        var queuedBefore = await fixture.CommandsQueuedAsync();

        var (refused, problem) = await desk.PostAsync($"/api/v1/forms/{formId}/submit", new { });

        Assert.Equal(400, refused);
        var violations = problem.Violations();
        Assert.Contains(("idNumber", "id-number.check-character"), violations);
        Assert.Contains(("ethnicity", "ethnicity.code"), violations);
        Assert.Contains(("expectedStayMonths", "migrant.expected-stay"), violations);
        Assert.Contains(("originRegionCode", "required"), violations);
        Assert.Contains(("arrivalDate", "required"), violations);
        var (_, still) = await desk.GetJsonAsync($"/api/v1/forms/{formId}");
        Assert.Equal("draft", (string)still["state"]!);
        Assert.Equal(queuedBefore, await fixture.CommandsQueuedAsync());
    }

    [Fact]
    public async Task Each_form_type_states_its_own_rule()
    {
        using var desk = await fixture.SignInAsync("collector-a");
        var (living, livingIdNumber, _) = await fixture.RegisterResidentAsync();
        _ = living;

        async Task<IReadOnlyList<(string Field, string Rule)>> Refusal(object form)
        {
            var (_, draft) = await desk.PostAsync("/api/v1/forms", form);
            var (status, problem) = await desk.PostAsync($"/api/v1/forms/{(string)draft["id"]!}/submit", new { });
            Assert.Equal(400, status);
            return problem.Violations();
        }

        Assert.Contains(("destination", "required"),
            await Refusal(new { formType = "move-out", data = new { idNumber = livingIdNumber, moveDate = "2026-01-05" } }));
        Assert.Contains(("motherIdNumber", "birth.mother-or-reason"),
            await Refusal(new { formType = "birth", data = new { idNumber = "320205202601010013", name = "李小红", sex = "1", birthDate = "2026-01-01", ethnicity = "01" } }));
        Assert.Contains(("idNumber", "person.in-register"),
            await Refusal(new { formType = "death", data = new { idNumber = "320205195001010017", deathDate = "2026-01-05" } }));
        Assert.Contains(("data", "correction.nothing-to-correct"),
            await Refusal(new { formType = "correction", data = new { idNumber = livingIdNumber, reason = "登记错误" } }));
        Assert.Contains(("motherIdNumber", "mother.in-register"),
            await Refusal(new { formType = "birth", data = new { idNumber = "320205202601010021", name = "李小红", sex = "2", birthDate = "2026-01-01", ethnicity = "01", motherIdNumber = "320205198001010029" } }));
    }

    [Fact]
    public async Task A_death_of_someone_no_longer_living_is_refused_at_the_desk()
    {
        var (_, idNumber, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var (_, first) = await desk.PostAsync("/api/v1/forms", new { formType = "death", submit = true, data = new { idNumber, deathDate = "2026-01-05" } });
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)first["id"]!)))["state"]!);

        var (_, second) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { idNumber, deathDate = "2026-01-06" } });
        var (status, problem) = await desk.PostAsync($"/api/v1/forms/{(string)second["id"]!}/submit", new { });

        Assert.Equal(400, status);
        Assert.Contains(("idNumber", "person.living"), problem.Violations());
    }

    [Fact]
    public async Task A_form_rejected_by_the_registry_shows_the_reason_and_goes_through_once_corrected()
    {
        var (personId, _, version) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        // The collector read version 1; someone else changes the person before the form arrives.
        var (_, draft) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", personId, expectedVersion = version, data = new { occupation = "教师", reason = "职业变更" },
        });
        var (changed, _) = await fixture.RegistryClient.PostAsync($"/api/v1/persons/{personId}/corrections",
            new { commandId = Guid.NewGuid(), expectedVersion = version, phone = "13800001111" });
        Assert.Equal(200, changed);
        var formId = Guid.Parse((string)draft["id"]!);
        await desk.PostAsync($"/api/v1/forms/{formId}/submit", new { });

        var rejected = await DeskFixture.WaitForAnswerAsync(desk, formId);
        Assert.Equal("rejected", (string)rejected["state"]!);
        Assert.Equal("version.current", (string)rejected["rejection"]!["rule"]!);
        Assert.Equal(2, (int)rejected["rejection"]!["currentVersion"]!);

        // Corrected: the collector takes the current version and resubmits; the form is accepted, once.
        using var put = await desk.PutAsync($"/api/v1/forms/{formId}", System.Net.Http.Json.JsonContent.Create(new
        {
            revision = (int)rejected["revision"]!, expectedVersion = 2, data = new { occupation = "教师", reason = "职业变更" },
        }));
        Assert.Equal(200, (int)put.StatusCode);
        var (resubmitted, _) = await desk.PostAsync($"/api/v1/forms/{formId}/submit", new { });
        Assert.Equal(202, resubmitted);
        var accepted = await DeskFixture.WaitForAnswerAsync(desk, formId);
        Assert.Equal("accepted", (string)accepted["state"]!);
        Assert.Equal(3, (int)accepted["registry"]!["version"]!);
        var (_, person) = await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/{personId}");
        Assert.Equal("教师", (string)person["person"]!["occupation"]!);
        Assert.Equal(3, (int)person["version"]!);
    }

    [Fact]
    public async Task A_collector_cannot_read_or_write_another_communitys_forms_and_a_supervisor_only_reads_them()
    {
        var (_, motherIdNumber, _) = await fixture.RegisterResidentAsync();
        using var a = await fixture.SignInAsync("collector-a");
        using var b = await fixture.SignInAsync("collector-b");
        using var supervisor = await fixture.SignInAsync("supervisor");
        var (_, form) = await a.PostAsync("/api/v1/forms", DeskForms.Birth(motherIdNumber, submit: false));
        var id = (string)form["id"]!;

        Assert.Equal(403, (await b.GetJsonAsync($"/api/v1/forms/{id}")).Status);
        Assert.Equal(403, (await b.PostAsync($"/api/v1/forms/{id}/submit", new { })).Status);
        Assert.Equal(403, (await b.PostAsync($"/api/v1/forms/{id}/withdraw", new { reason = "x" })).Status);
        Assert.Equal(403, (await b.GetJsonAsync($"/api/v1/forms?communityCode={fixture.CommunityA}")).Status);
        var (forbidden, problem) = await b.PostAsync("/api/v1/forms", new { formType = "death", communityCode = fixture.CommunityA, data = new { } });
        Assert.Equal(403, forbidden);
        Assert.Equal("scope.community", (string)problem["rule"]!);

        Assert.Equal(200, (await supervisor.GetJsonAsync($"/api/v1/forms/{id}")).Status);
        Assert.Equal(403, (await supervisor.PostAsync($"/api/v1/forms/{id}/submit", new { })).Status);
        Assert.Equal(401, (await fixture.Desk.CreateClient().GetJsonAsync($"/api/v1/forms/{id}")).Status);

        var (_, still) = await a.GetJsonAsync($"/api/v1/forms/{id}");
        Assert.Equal("draft", (string)still["state"]!);
        Assert.True(await fixture.ScalarAsync($"SELECT COUNT(*) FROM collection.audit_log WHERE actor = 'collector-b' AND target = '{id}' AND outcome = 'forbidden'") >= 3);
    }

    [Fact]
    public async Task The_sign_in_cookie_is_Secure_when_the_request_came_over_HTTPS()
    {
        async Task<string> SignInCookieAsync(HttpClient client) =>
            Assert.Single(await DeskSignIn.SignInCookiesAsync(client, fixture.HintOf("collector-a")), c => c.StartsWith("popinfo.desk=", StringComparison.Ordinal));

        using var https = fixture.Desk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), HandleCookies = true, AllowAutoRedirect = false,
        });
        using var http = fixture.Desk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://localhost"), HandleCookies = true, AllowAutoRedirect = false,
        });

        var overHttps = await SignInCookieAsync(https);
        var overHttp = await SignInCookieAsync(http);

        Assert.Contains("; secure", overHttps, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", overHttp, StringComparison.OrdinalIgnoreCase);
        Assert.All(new[] { overHttps, overHttp }, c =>
        {
            Assert.Contains("; httponly", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; samesite=strict", c, StringComparison.OrdinalIgnoreCase);
        });
    }
}
