using System.Text.Json.Nodes;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// Collectors act within their community (docs/security.md): collector-a (community A) files about the people
/// of A and is refused, by a named rule with nothing stored and the refusal audited, about the people of B.
/// </summary>
public sealed class CommunityScopeTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    private static readonly string Today = CityDate.Today.ToString("yyyy-MM-dd");

    /// <summary>A form about an existing person, of each type the rule places by residence or registration.</summary>
    private static object FormAbout(string formType, string idNumber, bool submit = true) => formType switch
    {
        "death" => new { formType, submit, data = new { idNumber, deathDate = Today } },
        "correction" => new { formType, submit, data = new { idNumber, reason = "登记错误", occupation = "教师" } },
        "move-out" => new { formType, submit, data = new { idNumber, moveDate = Today, destination = "南京市鼓楼区" } },
        "household-change" => new { formType, submit, data = new { idNumber } },
        _ => throw new ArgumentOutOfRangeException(nameof(formType)),
    };

    [Theory]
    [InlineData("death")]
    [InlineData("correction")]
    [InlineData("move-out")]
    [InlineData("household-change")]
    public async Task A_collector_files_about_a_person_of_its_community_and_is_refused_about_one_of_another(string formType)
    {
        var ours = await RegisterAsync(fixture.CommunityA, fixture.CommunityA);
        var livesHereRegisteredThere = await RegisterAsync(fixture.CommunityA, fixture.CommunityB);
        var registeredHereLivesThere = await RegisterAsync(fixture.CommunityB, fixture.CommunityA);
        var theirs = await RegisterAsync(fixture.CommunityB, fixture.CommunityB);
        using var desk = await fixture.SignInAsync("collector-a");

        await AssertRefusedAsync(desk, FormAbout(formType, theirs), 403, "idNumber", "scope.person-outside-community");

        foreach (var person in new[] { ours, livesHereRegisteredThere, registeredHereLivesThere })
        {
            var (status, form) = await desk.PostAsync("/api/v1/forms", FormAbout(formType, person));
            Assert.True(status == 201, form.ToJsonString());
            Assert.Equal("submitted", (string)form["state"]!);
        }
    }

    [Fact]
    public async Task A_draft_about_another_community_s_person_is_refused_when_submitted_and_stays_a_draft()
    {
        var theirs = await RegisterAsync(fixture.CommunityB, fixture.CommunityB);
        using var desk = await fixture.SignInAsync("collector-a");
        var (_, draft) = await desk.PostAsync("/api/v1/forms", FormAbout("death", theirs, submit: false));
        var id = (string)draft["id"]!;
        var queuedBefore = await fixture.CommandsQueuedAsync();

        var (status, problem) = await desk.PostAsync($"/api/v1/forms/{id}/submit", new { });

        Assert.Equal(403, status);
        Assert.Equal("scope.person-outside-community", (string)problem["rule"]!);
        Assert.Equal("draft", (string)(await desk.GetJsonAsync($"/api/v1/forms/{id}")).Body["state"]!);
        Assert.Equal(queuedBefore, await fixture.CommandsQueuedAsync());
        Assert.Equal(1, await fixture.ScalarAsync(
            $"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'form.submit' AND target = '{id}' AND outcome = 'refused' AND detail = 'scope.person-outside-community'"));
    }

    [Fact]
    public async Task A_form_naming_a_version_nobody_has_seen_is_pinned_to_the_version_the_rule_judged()
    {
        var ours = await RegisterAsync(fixture.CommunityA, fixture.CommunityA);
        var (_, found) = await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{ours}");
        using var desk = await fixture.SignInAsync("collector-a");

        var (status, form) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", submit = true, personId = (string)found["person"]!["personId"]!, expectedVersion = 7,
            data = new { reason = "登记错误", occupation = "教师" },
        });

        Assert.True(status == 201, form.ToJsonString());
        Assert.Equal((int)found["version"]!, (int)form["expectedVersion"]!);
    }

    [Fact]
    public async Task A_migrant_s_departure_is_filed_where_the_migrant_lives()
    {
        var ours = await RegisterMigrantAsync(fixture.CommunityA);
        var theirs = await RegisterMigrantAsync(fixture.CommunityB);
        using var desk = await fixture.SignInAsync("collector-a");

        await AssertRefusedAsync(desk, new { formType = "migrant-departure", submit = true, data = new { idNumber = theirs, departureDate = Today } },
            403, "idNumber", "scope.migrant-lives-elsewhere");
        var (status, form) = await desk.PostAsync("/api/v1/forms", new { formType = "migrant-departure", submit = true, data = new { idNumber = ours, departureDate = Today } });
        Assert.True(status == 201, form.ToJsonString());
    }

    [Fact]
    public async Task A_move_within_the_city_is_filed_by_the_destination_community()
    {
        var movingToA = await RegisterAsync(fixture.CommunityB, fixture.CommunityB);
        var movingToB = await RegisterAsync(fixture.CommunityA, fixture.CommunityA);
        using var a = await fixture.SignInAsync("collector-a");
        using var b = await fixture.SignInAsync("collector-b");
        object Move(string idNumber, string destination) => new
        {
            formType = "move-within-city", submit = true,
            data = new { idNumber, moveDate = Today, residenceAddress = "春华路2号", residenceRegionCode = destination },
        };

        // The origin community may not send its people elsewhere, nor fetch another's.
        await AssertRefusedAsync(a, Move(movingToB, fixture.CommunityB), 403, "residenceRegionCode", "scope.move-not-at-destination");
        await AssertRefusedAsync(b, Move(movingToA, fixture.CommunityA), 403, "residenceRegionCode", "scope.move-not-at-destination");

        var (status, form) = await a.PostAsync("/api/v1/forms", Move(movingToA, fixture.CommunityA));
        Assert.True(status == 201, form.ToJsonString());
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(a, Guid.Parse((string)form["id"]!)))["state"]!);
    }

    [Fact]
    public async Task A_birth_is_filed_by_the_community_the_child_comes_to()
    {
        var (_, mother, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var birth = (JsonObject)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(DeskForms.Birth(mother)))!;
        birth["data"]!["residenceRegionCode"] = fixture.CommunityB;

        await AssertRefusedAsync(desk, birth, 403, "residenceRegionCode", "scope.arrival-outside-community");

        birth["data"]!["registeredRegionCode"] = fixture.CommunityA;
        var (status, form) = await desk.PostAsync("/api/v1/forms", birth);
        Assert.True(status == 201, form.ToJsonString());
    }

    [Fact]
    public async Task Csv_rows_about_another_community_s_people_are_kept_back_by_rule()
    {
        var ours = await RegisterAsync(fixture.CommunityA, fixture.CommunityA);
        var theirs = await RegisterAsync(fixture.CommunityB, fixture.CommunityB);
        using var desk = await fixture.SignInAsync("collector-a");
        var csv = $"formType,idNumber,deathDate\ndeath,{ours},{Today}\ndeath,{theirs},{Today}\n";

        var (status, result) = await DeskForms.UploadCsvAsync(desk, csv);

        Assert.Equal(201, status);
        Assert.Equal(1, (int)result["accepted"]!);
        var bad = result["badRows"]!.AsArray().Single()!;
        Assert.Equal(3, (int)bad["line"]!);
        Assert.Equal("scope.person-outside-community", (string)bad["violations"]![0]!["rule"]!);
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)result["forms"]![0]!)))["state"]!);
    }

    [Fact]
    public async Task Without_the_register_a_form_about_a_person_is_refused_for_now_and_a_birth_still_goes()
    {
        var ours = await RegisterAsync(fixture.CommunityA, fixture.CommunityA);
        var (_, mother, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        await fixture.StopRegistryAsync();
        try
        {
            var formsBefore = await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.forms");
            using var response = await desk.PostAsync("/api/v1/forms", System.Net.Http.Json.JsonContent.Create(FormAbout("death", ours)));
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal("scope.register-unavailable", (string)problem["rule"]!);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal(formsBefore, await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.forms"));
            Assert.True(await fixture.ScalarAsync(
                "SELECT COUNT(*) FROM collection.audit_log WHERE actor = 'collector-a' AND action = 'form.create' AND outcome = 'refused' AND detail = 'scope.register-unavailable'") >= 1);

            // A birth's community is on the form itself: it goes out as before and waits for the registry.
            var (born, _) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(mother));
            Assert.Equal(201, born);
        }
        finally
        {
            fixture.StartRegistry();
        }
    }

    /// <summary>Refused with the status, field and rule; nothing stored; the refusal audited.</summary>
    private async Task AssertRefusedAsync(HttpClient desk, object form, int status, string field, string rule)
    {
        var formsBefore = await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.forms");
        var queuedBefore = await fixture.CommandsQueuedAsync();
        var auditedBefore = await fixture.ScalarAsync($"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'form.create' AND outcome = 'refused' AND detail = '{rule}'");

        var (answered, problem) = await desk.PostAsync("/api/v1/forms", form);

        Assert.True(answered == status, problem.ToJsonString());
        Assert.Equal(rule, (string)problem["rule"]!);
        Assert.Equal(field, (string)problem["field"]!);
        Assert.Contains((field, rule), problem.Violations());
        Assert.Equal(formsBefore, await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.forms"));
        Assert.Equal(queuedBefore, await fixture.CommandsQueuedAsync());
        Assert.Equal(auditedBefore + 1, await fixture.ScalarAsync($"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'form.create' AND outcome = 'refused' AND detail = '{rule}'"));
    }

    /// <summary>A living registered resident who lives in one community and is registered in another; their identity number.</summary>
    private Task<string> RegisterAsync(string livesIn, string registeredIn)
    {
        var body = People.ResidentOf(registeredIn);
        body["residenceRegionCode"] = livesIn;
        return CreateAsync("/api/v1/persons", body, (string)body["idNumber"]!);
    }

    /// <summary>A migrant living in the community; their identity number.</summary>
    private Task<string> RegisterMigrantAsync(string livesIn)
    {
        var (idNumber, birth, _) = People.Next("1");
        return CreateAsync("/api/v1/migrant-arrivals", new
        {
            commandId = Guid.NewGuid(), idNumber, name = "李强", sex = "1", birthDate = birth, ethnicity = "01",
            residenceAddress = "旺庄路2号", residenceRegionCode = livesIn, residenceType = "migrant",
            originRegionCode = "410102", arrivalDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10), reason = "work", expectedStayMonths = 12,
        }, idNumber);
    }

    private async Task<string> CreateAsync(string path, object body, string idNumber)
    {
        var (status, created) = await fixture.RegistryClient.PostAsync(path, body);
        return status == 201 ? idNumber : throw new InvalidOperationException($"{status} {created}");
    }
}
