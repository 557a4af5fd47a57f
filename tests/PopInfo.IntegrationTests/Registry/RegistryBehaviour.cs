using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>
/// What the register does, over its HTTP API. Runs twice: on PostgreSQL with RabbitMQ (distributed)
/// and on SQLite with the in-memory bus (embedded), which must behave the same.
/// </summary>
public abstract class RegistryBehaviour(RegistryFixture fixture)
{
    protected HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_valid_resident_is_registered_and_can_be_read_by_id_and_by_identity_number()
    {
        var body = People.Resident();
        var (status, created) = await Client.PostAsync("/api/v1/persons", body);

        Assert.Equal(201, status);
        var id = (string)created["personId"]!;
        Assert.Equal(1, (int)created["version"]!);
        Assert.Equal("registered", (string)created["changeType"]!);

        var (byId, person) = await Client.GetJsonAsync($"/api/v1/persons/{id}");
        Assert.Equal(200, byId);
        Assert.Equal(body["idNumber"], (string)person["person"]!["idNumber"]!);
        Assert.Equal("王芳", (string)person["person"]!["name"]!);

        var (byNumber, same) = await Client.GetJsonAsync($"/api/v1/persons/by-id-number/{body["idNumber"]}");
        Assert.Equal(200, byNumber);
        Assert.Equal(id, (string)same["person"]!["personId"]!);
    }

    [Fact]
    public async Task A_lowercase_x_check_character_is_accepted_and_stored_upper_case()
    {
        var body = ResidentWithCheckCharacterX();
        body["idNumber"] = ((string)body["idNumber"]!).ToLowerInvariant();

        var (status, created) = await Client.PostAsync("/api/v1/persons", body);

        Assert.Equal(201, status);
        Assert.EndsWith("X", (string)created["person"]!["idNumber"]!, StringComparison.Ordinal);
        var (found, _) = await Client.GetJsonAsync($"/api/v1/persons/by-id-number/{body["idNumber"]}");
        Assert.Equal(200, found);
    }

    public static TheoryData<string> BrokenRules => [.. BrokenRuleCases.All.Keys];

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task A_broken_rule_is_refused_naming_the_field_and_the_rule_and_nothing_is_stored(string rule)
    {
        var (mutate, expectedField, expectedRule) = BrokenRuleCases.All[rule];
        var body = People.Resident();
        mutate(body);
        var before = await LastSequenceAsync();

        var (status, problem) = await Client.PostAsync("/api/v1/persons", body);

        Assert.Equal(400, status);
        Assert.StartsWith("urn:popinfo:problem:", (string)problem["type"]!, StringComparison.Ordinal);
        Assert.Contains((expectedField, expectedRule), problem.Violations());
        Assert.Equal(before, await LastSequenceAsync());
        if (body["idNumber"] is string idNumber && idNumber.Length > 0)
        {
            var (found, _) = await Client.GetJsonAsync($"/api/v1/persons/by-id-number/{Uri.EscapeDataString(idNumber)}");
            Assert.Equal(404, found);
        }
    }

    [Fact]
    public async Task The_same_identity_number_cannot_be_registered_twice()
    {
        var body = People.Resident();
        await Client.PostAsync("/api/v1/persons", body);
        body["commandId"] = Guid.NewGuid();

        var (status, problem) = await Client.PostAsync("/api/v1/persons", body);

        Assert.Equal(409, status);
        Assert.Equal("id-number.unique", (string)problem["rule"]!);
    }

    [Fact]
    public async Task A_death_before_birth_or_in_the_future_is_refused()
    {
        var (id, version, birth) = await RegisterAsync();

        var (before, p1) = await Client.PostAsync($"/api/v1/persons/{id}/death",
            new { commandId = Guid.NewGuid(), expectedVersion = version, deathDate = birth.AddDays(-1) });
        var (future, p2) = await Client.PostAsync($"/api/v1/persons/{id}/death",
            new { commandId = Guid.NewGuid(), expectedVersion = version, deathDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3) });

        Assert.Equal(400, before);
        Assert.Contains(("deathDate", "date.not-before-birth"), p1.Violations());
        Assert.Equal(400, future);
        Assert.Contains(("deathDate", "date.not-in-future"), p2.Violations());
        var (_, person) = await Client.GetJsonAsync($"/api/v1/persons/{id}");
        Assert.Equal("living", (string)person["person"]!["status"]!);
        Assert.Equal(version, (int)person["version"]!);
    }

    [Fact]
    public async Task A_stale_version_is_refused_with_409_and_changes_nothing()
    {
        var (id, version, _) = await RegisterAsync();
        var (ok, _) = await Client.PostAsync($"/api/v1/persons/{id}/corrections",
            new { commandId = Guid.NewGuid(), expectedVersion = version, occupation = "教师" });
        Assert.Equal(200, ok);

        var (status, problem) = await Client.PostAsync($"/api/v1/persons/{id}/corrections",
            new { commandId = Guid.NewGuid(), expectedVersion = version, occupation = "医生" });

        Assert.Equal(409, status);
        Assert.Equal("urn:popinfo:problem:version-conflict", (string)problem["type"]!);
        Assert.Equal(version + 1, (int)problem["currentVersion"]!);
        var (_, person) = await Client.GetJsonAsync($"/api/v1/persons/{id}");
        Assert.Equal("教师", (string)person["person"]!["occupation"]!);
    }

    [Fact]
    public async Task The_same_command_id_twice_applies_once_and_answers_the_same()
    {
        var body = People.Resident();
        var before = await LastSequenceAsync();

        using var first = await Client.PostAsync("/api/v1/persons", JsonContent(body));
        using var second = await Client.PostAsync("/api/v1/persons", JsonContent(body));

        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await LastSequenceAsync());
    }

    [Fact]
    public async Task A_registration_repeated_after_its_person_took_another_identity_number_is_answered_as_before()
    {
        // A new person's command is tried first without looking for its stored answer (CommandExecutor.TryAsNewPersonAsync):
        // here the identity number it registered is free again, so only the command's own key can tell it was seen.
        var body = People.Resident();
        using var first = await Client.PostAsync("/api/v1/persons", JsonContent(body));
        var firstAnswer = await first.Content.ReadAsStringAsync();
        var personId = (string)System.Text.Json.Nodes.JsonNode.Parse(firstAnswer)!["personId"]!;
        var (idNumber, birth, sex) = People.Next((string)body["sex"]!);
        var (corrected, _) = await Client.PostAsync($"/api/v1/persons/{personId}/corrections", new
        {
            commandId = Guid.NewGuid(), expectedVersion = 1, idNumber,
            birthDate = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), sex,
        });
        Assert.Equal(200, corrected);
        var before = await LastSequenceAsync();

        using var again = await Client.PostAsync("/api/v1/persons", JsonContent(body));

        Assert.Equal(first.StatusCode, again.StatusCode);
        Assert.Equal(firstAnswer, await again.Content.ReadAsStringAsync());
        Assert.Equal(before, await LastSequenceAsync());
        var (found, _) = await Client.GetJsonAsync($"/api/v1/persons/by-id-number/{body["idNumber"]}");
        Assert.Equal(404, found);
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_command_apply_once()
    {
        var body = People.Resident();
        var before = await LastSequenceAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.PostAsync("/api/v1/persons", body)));

        Assert.All(answers, a => Assert.Equal(201, a.Status));
        Assert.Single(answers.Select(a => (string)a.Body["personId"]!).Distinct());
        Assert.Equal(before + 1, await LastSequenceAsync());
    }

    [Fact]
    public async Task A_command_id_reused_for_a_different_request_is_refused()
    {
        var body = People.Resident();
        await Client.PostAsync("/api/v1/persons", body);
        body["name"] = "李娜";

        var (status, problem) = await Client.PostAsync("/api/v1/persons", body);

        Assert.Equal(422, status);
        Assert.Equal("command-id.same-request", (string)problem["rule"]!);
    }

    [Fact]
    public async Task Every_version_is_kept_and_a_person_can_be_read_as_of_a_past_time()
    {
        var (id, version, _) = await RegisterAsync();
        var (_, v1) = await Client.GetJsonAsync($"/api/v1/persons/{id}");
        var firstRecordedAt = DateTimeOffset.Parse((string)v1["recordedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(20); // two versions recorded at distinct instants, so that a time between them exists
        var (_, changed) = await Client.PostAsync($"/api/v1/persons/{id}/corrections",
            new { commandId = Guid.NewGuid(), expectedVersion = version, occupation = "工程师" });
        var secondRecordedAt = DateTimeOffset.Parse((string)changed["recordedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var between = firstRecordedAt + ((secondRecordedAt - firstRecordedAt) / 2);

        var history = await Client.GetArrayAsync($"/api/v1/persons/{id}/history");
        var (_, asOfBetween) = await Client.GetJsonAsync($"/api/v1/persons/{id}?asOf={Uri.EscapeDataString(between.ToString("O"))}");
        var (_, asOfNow) = await Client.GetJsonAsync($"/api/v1/persons/{id}?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}");
        var (before, _) = await Client.GetJsonAsync($"/api/v1/persons/{id}?asOf={Uri.EscapeDataString(firstRecordedAt.AddSeconds(-1).ToString("O"))}");

        Assert.Equal([1, 2], history.Select(h => (int)h!["version"]!));
        Assert.Equal(["registered", "corrected"], history.Select(h => (string)h!["changeType"]!));
        Assert.Equal(1, (int)asOfBetween["version"]!);
        Assert.Null(asOfBetween["person"]!["occupation"]);
        Assert.Equal(2, (int)asOfNow["version"]!);
        Assert.Equal(404, before);
    }

    [Fact]
    public async Task A_life_in_the_register_births_moves_migrants_and_death_each_append_one_change()
    {
        var start = await LastSequenceAsync();
        var (_, household) = await Client.PostAsync("/api/v1/households",
            new { commandId = Guid.NewGuid(), number = "H" + Guid.NewGuid().ToString("N")[..10], address = "东亭街道春华路1号", regionCode = People.Community });
        var householdId = (string)household["id"]!;
        var mother = People.Resident("2");
        mother["householdId"] = householdId;
        mother["relationshipToHead"] = "02";
        var (_, m) = await Client.PostAsync("/api/v1/persons", mother);
        var (childId, childBirth, childSex) = People.Next("1", minimumAge: -19);
        var (birthStatus, child) = await Client.PostAsync("/api/v1/births", new
        {
            commandId = Guid.NewGuid(),
            idNumber = childId,
            name = "张小明",
            sex = childSex,
            birthDate = childBirth,
            ethnicity = "01",
            motherId = (string)m["personId"]!,
            householdId,
            relationshipToHead = "20",
        });
        Assert.Equal(201, birthStatus);
        Assert.Equal(People.Community, (string)child["person"]!["residenceRegionCode"]!);

        var (moved, movedBody) = await Client.PostAsync($"/api/v1/persons/{m["personId"]}/move-within-city", new
        {
            commandId = Guid.NewGuid(),
            expectedVersion = 1,
            moveDate = DateOnly.FromDateTime(DateTime.UtcNow),
            residenceAddress = "河埒街道湖滨路8号",
            residenceRegionCode = People.OtherCommunity,
            moveRegistration = true,
        });
        Assert.Equal(200, moved);
        Assert.Contains("residenceRegionCode", await ChangedFieldsAsync((long)movedBody["sequence"]!));

        var (outStatus, _) = await Client.PostAsync($"/api/v1/persons/{m["personId"]}/move-out",
            new { commandId = Guid.NewGuid(), expectedVersion = 2, moveDate = DateOnly.FromDateTime(DateTime.UtcNow), destination = "上海市浦东新区" });
        Assert.Equal(200, outStatus);

        var (migrantId, migrantBirth, _) = People.Next("1");
        var (arrived, migrant) = await Client.PostAsync("/api/v1/migrant-arrivals", new
        {
            commandId = Guid.NewGuid(),
            idNumber = migrantId,
            name = "李强",
            sex = "1",
            birthDate = migrantBirth,
            ethnicity = "01",
            residenceAddress = "新吴区旺庄路2号",
            residenceRegionCode = People.Community,
            residenceType = "migrant",
            originRegionCode = "410102",
            arrivalDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10),
            reason = "work",
            expectedStayMonths = 12,
        });
        Assert.Equal(201, arrived);
        Assert.Equal("migrant", (string)migrant["person"]!["residenceType"]!);
        var (departed, _) = await Client.PostAsync($"/api/v1/persons/{migrant["personId"]}/migrant-departure",
            new { commandId = Guid.NewGuid(), expectedVersion = 1, departureDate = DateOnly.FromDateTime(DateTime.UtcNow), destination = "郑州" });
        Assert.Equal(200, departed);

        var (died, _) = await Client.PostAsync($"/api/v1/persons/{child["personId"]}/death",
            new { commandId = Guid.NewGuid(), expectedVersion = 1, deathDate = DateOnly.FromDateTime(DateTime.UtcNow) });
        Assert.Equal(200, died);

        var (_, feed) = await Client.GetJsonAsync($"/api/v1/changes?after={start}&limit=100");
        var types = feed["changes"]!.AsArray().Select(c => (string)c!["changeType"]!).ToList();
        Assert.Equal(["registered", "born", "moved-within-city", "moved-out", "migrant-arrived", "migrant-departed", "died"], types);
        var (_, hh) = await Client.GetJsonAsync($"/api/v1/households/{householdId}");
        Assert.Empty(hh["members"]!.AsArray()); // the mother moved out, the child died
    }

    [Fact]
    public async Task A_second_living_head_of_a_household_is_refused()
    {
        var (_, household) = await Client.PostAsync("/api/v1/households",
            new { commandId = Guid.NewGuid(), number = "H" + Guid.NewGuid().ToString("N")[..10], address = "梁溪区中山路1号", regionCode = People.Community });
        var head = People.Resident("1");
        head["householdId"] = (string)household["id"]!;
        head["relationshipToHead"] = "02";
        Assert.Equal(201, (await Client.PostAsync("/api/v1/persons", head)).Status);
        var (id, version, _) = await RegisterAsync();

        var (status, problem) = await Client.PostAsync($"/api/v1/persons/{id}/household",
            new { commandId = Guid.NewGuid(), expectedVersion = version, householdId = (string)household["id"]!, relationshipToHead = "02" });

        Assert.Equal(400, status);
        Assert.Contains(("relationshipToHead", "household.one-head"), problem.Violations());
    }

    [Fact]
    public async Task The_feed_never_skips_an_entry_while_many_connections_write_at_once()
    {
        const int writers = 8;
        const int perWriter = 25;
        var start = await LastSequenceAsync();
        using var done = new CancellationTokenSource();

        // The reader follows the feed while writers commit; every page must continue exactly where the last ended.
        var seen = new List<long>();
        var reader = Task.Run(async () =>
        {
            var after = start;
            while (true)
            {
                var finished = done.IsCancellationRequested;
                var (_, page) = await Client.GetJsonAsync($"/api/v1/changes?after={after}&limit=50");
                foreach (var change in page["changes"]!.AsArray())
                {
                    var sequence = (long)change!["sequence"]!;
                    Assert.Equal(after + 1, sequence);
                    seen.Add(sequence);
                    after = sequence;
                }

                if (finished && page["changes"]!.AsArray().Count == 0)
                {
                    return;
                }
            }
        });

        var writes = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var (status, _) = await Client.PostAsync("/api/v1/persons", People.Resident());
                Assert.Equal(201, status);
            }
        }));
        await Task.WhenAll(writes);
        await done.CancelAsync();
        await reader;

        Assert.Equal(writers * perWriter, seen.Count);
        Assert.Equal(Enumerable.Range(1, writers * perWriter).Select(i => start + i), seen);
    }

    [Fact]
    public async Task The_feed_refuses_a_bad_page_request()
    {
        var (status, problem) = await Client.GetJsonAsync("/api/v1/changes?after=-1&limit=5000");

        Assert.Equal(400, status);
        Assert.Contains(("after", "range"), problem.Violations());
        Assert.Contains(("limit", "range"), problem.Violations());
    }

    protected async Task<(string Id, int Version, DateOnly Birth)> RegisterAsync()
    {
        var body = People.Resident();
        var (status, created) = await Client.PostAsync("/api/v1/persons", body);
        Assert.Equal(201, status);
        return ((string)created["personId"]!, (int)created["version"]!, DateOnly.Parse((string)body["birthDate"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    protected async Task<long> LastSequenceAsync()
    {
        var (_, status) = await Client.GetJsonAsync("/api/v1/changes/status");
        return (long)status["lastSequence"]!;
    }

    private async Task<IReadOnlyList<string>> ChangedFieldsAsync(long sequence)
    {
        var (_, page) = await Client.GetJsonAsync($"/api/v1/changes?after={sequence - 1}&limit=1");
        return [.. page["changes"]![0]!["changedFields"]!.AsArray().Select(f => (string)f!)];
    }

    private static Dictionary<string, object?> ResidentWithCheckCharacterX()
    {
        while (true)
        {
            var body = People.Resident();
            if (((string)body["idNumber"]!).EndsWith('X'))
            {
                return body;
            }
        }
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

public sealed class RegistryOnPostgreSqlTests(PostgreSqlRegistryFixture fixture) : RegistryBehaviour(fixture), IClassFixture<PostgreSqlRegistryFixture>;

public sealed class RegistryOnSqliteTests(SqliteRegistryFixture fixture) : RegistryBehaviour(fixture), IClassFixture<SqliteRegistryFixture>;
