using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using RabbitMQ.Client;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// Departments push records in — over HTTP and over AMQP with their own broker credentials — and the exchange
/// turns them into registry commands: applied in the register, held for review on a conflict, refused
/// with the field and the rule, recognised when pushed again.
/// </summary>
public sealed class InboundTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static int nextChild;

    private static string Yesterday => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_health_bureau_batch_with_a_birth_and_a_death_is_applied_in_the_register()
    {
        var community = ExchangeFixture.FreshCommunity();
        var health = await fixture.CreateDepartmentAsync("health", inboundKinds: ["birth", "death"]);
        var mother = await fixture.RegisterResidentAsync(community);
        var dying = await fixture.RegisterResidentAsync(community);
        var (childId, childBirth) = NewChild("2");

        var (status, answer) = await PushAsync(health,
            new
            {
                recordId = "HB-B-1",
                kind = "birth",
                motherIdNumber = mother.IdNumber,
                person = new { idNumber = childId, name = "王小雨", sex = "2", birthDate = childBirth, ethnicity = "01" },
            },
            new { recordId = "HB-D-1", kind = "death", person = new { idNumber = dying.IdNumber }, deathDate = Yesterday });

        Assert.Equal(200, status);
        var results = answer["results"]!.AsArray();
        Assert.Equal(["queued", "queued"], results.Select(r => (string)r!["state"]!));
        Assert.Equal("new-person", (string?)results[0]!["match"]);
        Assert.Equal("id-number", (string?)results[1]!["match"]);
        Assert.Equal(dying.PersonId.ToString(), (string?)results[1]!["personId"]);
        Assert.Equal((string?)results[0]!["id"], (string?)(await WaitForAsync(health, "HB-B-1", "applied"))["id"]);
        var died = await WaitForAsync(health, "HB-D-1", "applied");

        var (_, child) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/by-id-number/{childId}");
        Assert.Equal(mother.PersonId.ToString(), (string?)child["person"]!["motherId"]);
        var (_, dead) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{dying.PersonId}");
        Assert.Equal("deceased", (string?)dead["person"]!["status"]);

        // The change is the department's in the register's log.
        var sequence = (long)died["registry"]!["sequence"]!;
        Assert.Equal(dying.PersonId.ToString(), (string?)died["registry"]!["personId"]);
        var (_, page) = await fixture.Registry.GetJsonAsync($"/api/v1/changes?after={sequence - 1}&limit=1");
        var change = page["changes"]![0]!;
        // Sent by the exchange (its own broker user, which RabbitMQ validated), on behalf of the department.
        Assert.Equal($"rabbitmq:{fixture.Desk.Broker.UserOf("exchange")}", (string?)change["source"]);
        Assert.Equal($"department:{health.Code}", (string?)change["actor"]);
        Assert.Equal((string?)died["id"], (string?)change["commandId"]);
    }

    [Fact]
    public async Task A_record_without_identity_number_is_matched_on_name_sex_birth_date_and_region()
    {
        var community = ExchangeFixture.FreshCommunity();
        var street = RegionCatalogue.Wuxi.Communities.First(c => c.Code == community).ParentCode!;
        var health = await fixture.CreateDepartmentAsync("health", inboundKinds: ["death"]);
        var body = People.ResidentOf(community);
        body["name"] = UniqueName();
        var (registered, created) = await fixture.Registry.PostAsync("/api/v1/persons", body);
        Assert.Equal(201, registered);
        var personId = (string)created["personId"]!;

        var (_, answer) = await PushAsync(health, new
        {
            recordId = "HB-D-NAME",
            kind = "death",
            person = new { name = body["name"], sex = body["sex"], birthDate = body["birthDate"], regionCode = street },
            deathDate = Yesterday,
        });

        var result = answer["results"]![0]!;
        Assert.Equal("queued", (string?)result["state"]);
        Assert.Equal("name-sex-birth-region", (string?)result["match"]);
        Assert.Equal(personId, (string?)result["personId"]);
        await WaitForAsync(health, "HB-D-NAME", "applied");
        var (_, dead) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{personId}");
        Assert.Equal("deceased", (string?)dead["person"]!["status"]);
    }

    [Fact]
    public async Task A_death_of_a_person_who_moved_away_is_held_then_approved_or_dismissed_and_audited()
    {
        var community = ExchangeFixture.FreshCommunity();
        var health = await fixture.CreateDepartmentAsync("health", inboundKinds: ["death"]);
        var first = await fixture.RegisterResidentAsync(community);
        var second = await fixture.RegisterResidentAsync(community);
        await MoveOutAsync(first.PersonId);
        await MoveOutAsync(second.PersonId);

        var (_, answer) = await PushAsync(health,
            new { recordId = "HB-D-GONE-1", kind = "death", person = new { idNumber = first.IdNumber }, deathDate = Yesterday },
            new { recordId = "HB-D-GONE-2", kind = "death", person = new { idNumber = second.IdNumber }, deathDate = Yesterday });

        var results = answer["results"]!.AsArray();
        Assert.All(results, r =>
        {
            Assert.Equal("held", (string?)r!["state"]);
            Assert.Equal("inbound.conflict.not-living", (string?)r["problem"]!["rule"]);
            Assert.Equal(409, (int)r["problem"]!["status"]!);
        });
        Assert.Equal("records[1].person", (string?)results[1]!["problem"]!["field"]);

        // The review list names the rule and masks the identity number; no names.
        using var reviews = await fixture.Admin.GetAsync($"/api/v1/inbound/reviews?department={health.Code}");
        var text = await reviews.Content.ReadAsStringAsync();
        Assert.DoesNotContain(first.IdNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Name, text, StringComparison.Ordinal);
        var held = JsonNode.Parse(text)!.AsArray();
        Assert.Equal(2, held.Count);
        var review = held.Single(r => (string?)r!["id"] == (string?)results[0]!["id"])!;
        Assert.Equal(IdentityNumber.Mask(first.IdNumber), (string?)review["idNumber"]);
        Assert.Equal("inbound.conflict.not-living", (string?)review["rule"]);
        Assert.Equal("HB-D-GONE-1", (string?)review["recordId"]);

        // Approved: sent as it is, and the registry's own rule refuses it.
        var (approved, approvedBody) = await fixture.Admin.PostAsync($"/api/v1/inbound/reviews/{results[0]!["id"]}/approve", new { });
        Assert.Equal(200, approved);
        Assert.Equal("approved", (string?)approvedBody["decision"]!["action"]);
        var rejected = await WaitForAsync(health, "HB-D-GONE-1", "rejected");
        Assert.False((bool)rejected["registry"]!["applied"]!);
        Assert.Equal(409, (int)rejected["registry"]!["status"]!);

        // Dismissed: never sent; a decided record is not decided again.
        var (noReason, _) = await fixture.Admin.PostAsync($"/api/v1/inbound/reviews/{results[1]!["id"]}/dismiss", new { });
        Assert.Equal(400, noReason);
        var (dismissed, _) = await fixture.Admin.PostAsync($"/api/v1/inbound/reviews/{results[1]!["id"]}/dismiss", new { reason = "The person emigrated; the bureau will check its record." });
        Assert.Equal(200, dismissed);
        var (again, againBody) = await fixture.Admin.PostAsync($"/api/v1/inbound/reviews/{results[1]!["id"]}/approve", new { });
        Assert.Equal(409, again);
        Assert.Equal("inbound.review.held", (string?)againBody["rule"]);
        var (_, closed) = await GetAsync(health, "HB-D-GONE-2");
        Assert.Equal("dismissed", (string?)closed["state"]);
        Assert.Null(closed["sentAt"]);
        Assert.Empty(await fixture.Admin.GetArrayAsync($"/api/v1/inbound/reviews?department={health.Code}"));

        var audit = await fixture.Admin.GetArrayAsync($"/api/v1/departments/{health.Code}/audit");
        Assert.Contains(audit, e => (string?)e!["action"] == "inbound.approved");
        Assert.Contains(audit, e => (string?)e!["action"] == "inbound.dismissed");
        var (_, person) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{second.PersonId}");
        Assert.Equal("moved-away", (string?)person["person"]!["status"]);
    }

    [Fact]
    public async Task A_kind_outside_the_departments_rights_is_refused_and_valid_records_of_the_batch_are_still_taken()
    {
        var community = ExchangeFixture.FreshCommunity();
        var births = await fixture.CreateDepartmentAsync("births", inboundKinds: ["birth"]);
        var resident = await fixture.RegisterResidentAsync(community);
        var (childId, childBirth) = NewChild("1");
        var (badId, _) = NewChild("1");
        badId = badId[..17] + (badId[17] == '0' ? '1' : '0');

        var (status, answer) = await PushAsync(births,
            new { recordId = "BR-D-1", kind = "death", person = new { idNumber = resident.IdNumber }, deathDate = Yesterday },
            new
            {
                recordId = "BR-B-1",
                kind = "birth",
                person = new { idNumber = childId, name = "李明", sex = "1", birthDate = childBirth, ethnicity = "01", residenceRegionCode = community, registeredRegionCode = community, residenceAddress = "春华路1号", registeredAddress = "春华路1号" },
            },
            new { recordId = "BR-B-2", kind = "birth", person = new { idNumber = badId, name = "李明", sex = "1", birthDate = childBirth, ethnicity = "01" } });

        Assert.Equal(200, status);
        var results = answer["results"]!.AsArray();
        Assert.Equal(["refused", "queued", "refused"], results.Select(r => (string)r!["state"]!));
        var forbidden = results[0]!["problem"]!;
        Assert.Equal(403, (int)forbidden["status"]!);
        Assert.Equal("inbound.kind-not-allowed", (string?)forbidden["rule"]);
        Assert.Equal("records[0].kind", (string?)forbidden["field"]);
        Assert.Null(results[0]!["id"]);
        var invalid = results[2]!["problem"]!;
        Assert.Equal(400, (int)invalid["status"]!);
        Assert.Contains(invalid["violations"]!.AsArray(), v => (string?)v!["field"] == "records[2].person.idNumber" && (string?)v["rule"] == "id-number.check-character");
        Assert.NotNull(invalid["errors"]!["records[2].person.idNumber"]);

        // Nothing of a refused record is stored; the valid one goes to the register.
        Assert.Equal(404, (await GetAsync(births, "BR-D-1")).Status);
        Assert.Equal(404, (await GetAsync(births, "BR-B-2")).Status);
        await WaitForAsync(births, "BR-B-1", "applied");
        var (_, alive) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{resident.PersonId}");
        Assert.Equal("living", (string?)alive["person"]!["status"]);

        // A body that is no push at all is refused whole.
        using var client = fixture.Exchange.CreateClientWithKey(births.ApiKey);
        var (noRecords, problem) = await client.PostAsync("/api/v1/inbound", new { recordId = "x" });
        Assert.Equal(400, noRecords);
        Assert.Contains(("records", "required"), problem.Violations());
        Assert.Equal(403, (await fixture.Admin.PostAsync("/api/v1/inbound", new { records = Array.Empty<object>() })).Status);
    }

    [Fact]
    public async Task A_record_id_pushed_again_is_a_duplicate_and_applied_once()
    {
        var community = ExchangeFixture.FreshCommunity();
        var police = await fixture.CreateDepartmentAsync("police", inboundKinds: ["move-within-city"]);
        var resident = await fixture.RegisterResidentAsync(community);
        var destination = RegionCatalogue.Wuxi.Communities.First(c => c.Code != community).Code;
        var move = new
        {
            recordId = "PS-M-1",
            kind = "move-within-city",
            person = new { idNumber = resident.IdNumber },
            moveDate = Yesterday,
            residenceAddress = "清扬路2号",
            residenceRegionCode = destination,
        };

        var (_, first) = await PushAsync(police, move, move);
        var results = first["results"]!.AsArray();
        Assert.Equal("queued", (string?)results[0]!["state"]);
        Assert.Equal("duplicate", (string?)results[1]!["state"]);
        Assert.Equal((string?)results[0]!["id"], (string?)results[1]!["id"]);
        await WaitForAsync(police, "PS-M-1", "applied");

        var (_, again) = await PushAsync(police, move);
        var repeat = again["results"]![0]!;
        Assert.Equal("duplicate", (string?)repeat["state"]);
        Assert.Equal("applied", (string?)repeat["currentState"]);
        Assert.Equal((string?)results[0]!["id"], (string?)repeat["id"]);

        var history = await fixture.Registry.GetArrayAsync($"/api/v1/persons/{resident.PersonId}/history");
        Assert.Single(history, v => (string?)v!["changeType"] == "moved-within-city");
    }

    [Fact]
    public async Task A_push_published_with_the_departments_own_broker_credentials_reaches_the_register()
    {
        var community = ExchangeFixture.FreshCommunity();
        var police = await fixture.CreateDepartmentAsync("police", inboundKinds: ["move-out"]);
        var resident = await fixture.RegisterResidentAsync(community);

        var factory = new ConnectionFactory { Uri = fixture.DepartmentBrokerUri(police), AutomaticRecoveryEnabled = false };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            // Not JSON at all: parked (ParkingTests), never blocking what follows.
            await channel.BasicPublishAsync(police.InboundExchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes("not json"));
            // A record breaking a rule: refused, and readable by its record id.
            await channel.BasicPublishAsync(police.InboundExchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes(
                $$"""{"recordId": "PS-AMQP-BAD", "kind": "move-out", "person": {"idNumber": "{{resident.IdNumber}}"}, "moveDate": "{{Yesterday}}"}"""));
            // One record, not wrapped in "records".
            await channel.BasicPublishAsync(police.InboundExchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes(
                $$"""{"recordId": "PS-AMQP-1", "kind": "move-out", "person": {"idNumber": "{{resident.IdNumber}}"}, "moveDate": "{{Yesterday}}", "destination": "上海市浦东新区"}"""));
        }

        var applied = await WaitForAsync(police, "PS-AMQP-1", "applied");
        Assert.Equal("amqp", (string?)applied["channel"]);
        Assert.Equal(resident.PersonId.ToString(), (string?)applied["registry"]!["personId"]);
        var (_, person) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{resident.PersonId}");
        Assert.Equal("moved-away", (string?)person["person"]!["status"]);

        var (_, refused) = await GetAsync(police, "PS-AMQP-BAD");
        Assert.Equal("refused", (string?)refused["state"]);
        Assert.Contains(refused["refusal"]!["violations"]!.AsArray(), v => (string?)v!["field"] == "destination" && (string?)v["rule"] == "required");
    }

    private async Task<(int Status, JsonObject Body)> PushAsync(TestDepartment department, params object[] records)
    {
        using var client = fixture.Exchange.CreateClientWithKey(department.ApiKey);
        return await client.PostAsync("/api/v1/inbound", new { records });
    }

    private async Task<(int Status, JsonObject Body)> GetAsync(TestDepartment department, string recordId)
    {
        using var client = fixture.Exchange.CreateClientWithKey(department.ApiKey);
        return await client.GetJsonAsync($"/api/v1/inbound/{recordId}");
    }

    /// <summary>Polls the department's record until it reaches <paramref name="state"/>; fails on any other final state.</summary>
    private async Task<JsonObject> WaitForAsync(TestDepartment department, string recordId, string state)
    {
        JsonObject record = [];
        await Eventually.TrueAsync(async () =>
        {
            var (status, body) = await GetAsync(department, recordId);
            record = body;
            if (status == 200 && (string?)body["state"] is "applied" or "rejected" or "dismissed" or "refused" && (string?)body["state"] != state)
            {
                throw new InvalidOperationException($"{recordId} ended {(string?)body["state"]}, not {state}: {body}");
            }

            return status == 200 && (string?)body["state"] == state;
        }, TimeSpan.FromSeconds(30), $"{recordId} to be {state}");
        return record;
    }

    private async Task MoveOutAsync(Guid personId)
    {
        var (_, current) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{personId}");
        var (status, body) = await fixture.Registry.PostAsync($"/api/v1/persons/{personId}/move-out",
            new { commandId = Guid.NewGuid(), expectedVersion = (int)current["version"]!, moveDate = Yesterday, destination = "南京市" });
        Assert.True(status == 200, $"move-out: {status} {body}");
    }

    /// <summary>A newborn's identity number no other test of this process uses, and the birth date in it.</summary>
    private static (string IdNumber, string BirthDate) NewChild(string sex)
    {
        var n = Interlocked.Increment(ref nextChild);
        var born = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30 - (n % 200) - Random.Shared.Next(0, 100)));
        var sequence = (2 * Random.Shared.Next(0, 450)) + (sex == "1" ? 1 : 2);
        return (IdentityNumber.Create("320213", born, sequence), born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static string UniqueName()
    {
        const string characters = "安宁静雅明华伟强丽敏杰磊秀英芳娜";
        var random = Random.Shared;
        return "欧阳" + string.Concat(Enumerable.Range(0, 3).Select(_ => characters[random.Next(characters.Length)]));
    }
}

/// <summary>The inbound side in the embedded mode: SQLite and the in-memory bus, all services in one process.</summary>
public sealed class EmbeddedInboundTests
{
    [Fact]
    public async Task Records_are_applied_held_reviewed_and_recognised_again_on_sqlite()
    {
        await using var platform = new EmbeddedPlatform();
        using var admin = platform.ClientOf(5103);
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        using var registry = platform.ClientOf(5101);
        var (created, department) = await admin.PostAsync("/api/v1/departments", new { code = "health", name = "卫健委", contact = "0510-1", inboundKinds = new[] { "death" } });
        Assert.True(created == 201, department.ToJsonString());
        using var health = platform.ClientOf(5103);
        health.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)department["credentials"]!["apiKey"]!);

        var living = People.Resident();
        var gone = People.Resident();
        var (_, livingPerson) = await registry.PostAsync("/api/v1/persons", living);
        var (_, gonePerson) = await registry.PostAsync("/api/v1/persons", gone);
        var (movedOut, moved) = await registry.PostAsync($"/api/v1/persons/{gonePerson["personId"]}/move-out",
            new { commandId = Guid.NewGuid(), expectedVersion = 1, moveDate = "2026-01-02", destination = "南京市" });
        Assert.True(movedOut == 200, moved.ToJsonString());

        var records = new object[]
        {
            new { recordId = "E-1", kind = "death", person = new { idNumber = living["idNumber"] }, deathDate = "2026-01-03" },
            new { recordId = "E-2", kind = "death", person = new { idNumber = gone["idNumber"] }, deathDate = "2026-01-03" },
            new { recordId = "E-3", kind = "death", person = new { idNumber = gone["idNumber"] }, deathDate = "2026-01-03" },
        };
        var (_, answer) = await health.PostAsync("/api/v1/inbound", new { records });
        var results = answer["results"]!.AsArray();
        Assert.Equal(["queued", "held", "held"], results.Select(r => (string)r!["state"]!));

        await Eventually.TrueAsync(async () => (string?)(await health.GetJsonAsync("/api/v1/inbound/E-1")).Body["state"] == "applied", TimeSpan.FromSeconds(30), "E-1 applied");
        var (_, dead) = await registry.GetJsonAsync($"/api/v1/persons/{livingPerson["personId"]}");
        Assert.Equal("deceased", (string?)dead["person"]!["status"]);

        Assert.Equal(2, (await admin.GetArrayAsync("/api/v1/inbound/reviews")).Count);
        Assert.Equal(200, (await admin.PostAsync($"/api/v1/inbound/reviews/{results[1]!["id"]}/approve", new { })).Status);
        Assert.Equal(200, (await admin.PostAsync($"/api/v1/inbound/reviews/{results[2]!["id"]}/dismiss", new { reason = "Moved to Nanjing; the death is registered there." })).Status);
        await Eventually.TrueAsync(async () => (string?)(await health.GetJsonAsync("/api/v1/inbound/E-2")).Body["state"] == "rejected", TimeSpan.FromSeconds(30), "E-2 rejected");
        Assert.Equal("dismissed", (string?)(await health.GetJsonAsync("/api/v1/inbound/E-3")).Body["state"]);

        var (_, again) = await health.PostAsync("/api/v1/inbound", new { records });
        Assert.Equal(["applied", "rejected", "dismissed"], again["results"]!.AsArray().Select(r => (string)r!["currentState"]!));
        Assert.All(again["results"]!.AsArray(), r => Assert.Equal("duplicate", (string?)r!["state"]));
    }
}
