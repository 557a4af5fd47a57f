using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Identity;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;
using RabbitMQ.Client;

namespace PopInfo.IntegrationTests.Poison;

/// <summary>
/// The exchange's entrances — the department and subscription administration, bureaus' records over HTTP
/// (and AMQP, where there is a broker), reviews, queries and paths — refuse poisoned free text naming the
/// field (<c>records[0].person.name</c>) and the rule, and store none of it.
/// </summary>
public abstract class ExchangePoisonBehaviour(PoisonPlatform platform)
{
    protected PoisonPlatform Platform => platform;

    public static readonly string[] InboundKinds = ["move-in", "move-out", "move-within-city", "migrant-departure", "correction"];

    public static TheoryData<string, string> DepartmentFieldsAndPoisons => Poisons.Cross(["name", "contact", "webhookUrl"]);

    [Theory]
    [MemberData(nameof(DepartmentFieldsAndPoisons))]
    public async Task A_poisoned_department_field_is_refused_on_creation_and_on_change_and_nothing_is_stored(string field, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var existing = await platform.CreateDepartmentAsync("poison");
        var code = (string)existing["department"]!["code"]!;
        var before = (await platform.ExchangeAdmin.GetArrayAsync("/api/v1/departments")).Count;
        var values = new JsonObject { ["name"] = "民政局", ["contact"] = "0510-12345678", ["webhookUrl"] = "https://bureau.example.cn/hook" };

        var create = new JsonObject { ["code"] = $"p-{Guid.NewGuid().ToString("N")[..6]}" };
        var change = new JsonObject { ["expectedVersion"] = 1 };
        foreach (var (name, value) in values)
        {
            create[name] = value!.DeepClone();
            change[name] = value.DeepClone();
        }

        Poisons.Poison(create, field, character);
        Poisons.Poison(change, field, character);
        var (created, refusal) = await platform.ExchangeAdmin.PostAsync("/api/v1/departments", create);
        using var patched = await platform.ExchangeAdmin.PatchAsJsonAsync($"/api/v1/departments/{code}", change);
        var patchRefusal = JsonNode.Parse(await patched.Content.ReadAsStringAsync())!.AsObject();

        Assert.True(created == 400, $"{created} {refusal}");
        Assert.Contains((field, rule), refusal.Violations());
        Assert.True((int)patched.StatusCode == 400, $"{(int)patched.StatusCode} {patchRefusal}");
        Assert.Contains((field, rule), patchRefusal.Violations());
        Assert.Equal(before, (await platform.ExchangeAdmin.GetArrayAsync("/api/v1/departments")).Count);
        var (_, unchanged) = await platform.ExchangeAdmin.GetJsonAsync($"/api/v1/departments/{code}");
        Assert.Equal((1, "公安局"), ((int)unchanged["version"]!, (string?)unchanged["name"]));
    }

    public static TheoryData<string, string> PurposePoisons => Poisons.Cross(["purpose"], (_, poison) => !poison.StartsWith("LF", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(PurposePoisons))]
    public async Task A_poisoned_subscription_purpose_is_refused_and_no_subscription_is_made(string field, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var code = (string)(await platform.CreateDepartmentAsync("purpose"))["department"]!["code"]!;
        var subscription = new JsonObject
        {
            ["changeTypes"] = new JsonArray("registered"), ["regions"] = new JsonArray(platform.Community), ["fields"] = new JsonArray("sex"),
            ["purpose"] = Poisons.Into("Keeps the bureau's copy of residents current.", character),
        };

        var (status, problem) = await platform.ExchangeAdmin.PostAsync($"/api/v1/departments/{code}/subscriptions", subscription);

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Equal([(field, rule)], problem.Violations());
        Assert.Empty(await platform.ExchangeAdmin.GetArrayAsync($"/api/v1/departments/{code}/subscriptions"));

        subscription["purpose"] = "Keeps the bureau's copy of residents current:\r\n\tbirths and moves.";
        Assert.Equal(201, (await platform.ExchangeAdmin.PostAsync($"/api/v1/departments/{code}/subscriptions", subscription)).Status);
    }

    /// <summary>A valid record of each kind a bureau pushes, and where its free text is.</summary>
    protected static readonly Dictionary<string, (Func<string, JsonObject> Record, string Path)> RecordFields = new()
    {
        ["move-in person.name"] = (MoveIn, "person.name"),
        ["move-in person.occupation"] = (MoveIn, "person.occupation"),
        ["move-in person.registeredAddress"] = (MoveIn, "person.registeredAddress"),
        ["move-in person.residenceAddress"] = (MoveIn, "person.residenceAddress"),
        ["move-in origin"] = (MoveIn, "origin"),
        ["move-out person.name"] = (_ => Record("move-out", new JsonObject { ["name"] = "王芳", ["sex"] = "2", ["birthDate"] = "1990-03-07", ["regionCode"] = "320205" }, ("moveDate", "2025-06-01"), ("destination", "上海市")), "person.name"),
        ["move-out destination"] = (id => Record("move-out", new JsonObject { ["idNumber"] = id }, ("moveDate", "2025-06-01"), ("destination", "上海市")), "destination"),
        ["move-within-city residenceAddress"] = (id => Record("move-within-city", new JsonObject { ["idNumber"] = id }, ("moveDate", "2025-06-01"), ("residenceAddress", "青石路66号"), ("residenceRegionCode", People.Community)), "residenceAddress"),
        ["migrant-departure destination"] = (id => Record("migrant-departure", new JsonObject { ["idNumber"] = id }, ("departureDate", "2025-06-01"), ("destination", "成都市")), "destination"),
        ["correction reason"] = (Correction, "reason"),
        ["correction changes.name"] = (Correction, "changes.name"),
        ["correction changes.residenceAddress"] = (Correction, "changes.residenceAddress"),
        ["kind"] = (id => Record("move-out", new JsonObject { ["idNumber"] = id }, ("moveDate", "2025-06-01"), ("destination", "上海市")), "kind"),
    };

    private static JsonObject MoveIn(string id) => Record("move-in",
        new JsonObject { ["idNumber"] = id, ["name"] = "王芳", ["sex"] = IdentityNumber.Parse(id).Parts!.SexCode,
            ["birthDate"] = IdentityNumber.Parse(id).Parts!.BirthDate.ToString("yyyy-MM-dd"), ["ethnicity"] = "01", ["registeredRegionCode"] = People.Community,
            ["occupation"] = "教师", ["registeredAddress"] = "春华路1号", ["residenceAddress"] = "春华路1号" },
        ("moveDate", "2025-06-01"), ("origin", "南京市"));

    private static JsonObject Correction(string id) => Record("correction", new JsonObject { ["idNumber"] = id }, ("reason", "登记有误"),
        ("changes", new JsonObject { ["name"] = "王芳芳", ["residenceAddress"] = "春华路2号" }));

    private static JsonObject Record(string kind, JsonObject person, params (string Name, JsonNode Value)[] fields)
    {
        var record = new JsonObject { ["recordId"] = $"R-{Guid.NewGuid():N}", ["kind"] = kind, ["person"] = person };
        foreach (var (name, value) in fields)
        {
            record[name] = value;
        }

        return record;
    }

    public static TheoryData<string, string> RecordFieldsAndPoisons => Poisons.Cross(RecordFields.Keys);

    [Theory]
    [MemberData(nameof(RecordFieldsAndPoisons))]
    public async Task A_poisoned_field_of_a_pushed_record_is_refused_naming_the_record_field_and_rule(string field, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var department = await platform.CreateDepartmentAsync("push", InboundKinds);
        using var bureau = platform.Exchange.CreateClientWithKey((string)department["credentials"]!["apiKey"]!);
        var (make, path) = RecordFields[field];
        var good = make(People.Next().IdNumber);
        var poisoned = make(People.Next().IdNumber);
        Poisons.Poison(poisoned, path, character);

        var (status, answer) = await bureau.PostAsync("/api/v1/inbound", new JsonObject { ["records"] = new JsonArray(good, poisoned) });

        Assert.True(status == 200, $"{status} {answer}");
        var refused = answer["results"]![1]!;
        Assert.Equal("refused", (string?)refused["state"]);
        Assert.Contains(($"records[1].{path}", rule), refused["problem"]!.AsObject().Violations());
        Assert.DoesNotContain(character, answer.ToJsonString(), StringComparison.Ordinal);
        Assert.NotEqual("refused", (string?)answer["results"]![0]!["state"]);
        if (path != "kind")
        {
            var (found, _) = await bureau.GetJsonAsync($"/api/v1/inbound/{poisoned["recordId"]}");
            Assert.Equal(404, found);
        }
    }

    [Theory]
    [InlineData("person.name")]
    [InlineData("origin")]
    public async Task An_escaped_lone_surrogate_in_a_record_is_refused_by_the_free_text_rule(string path)
    {
        var department = await platform.CreateDepartmentAsync("surrogate", InboundKinds);
        using var bureau = platform.Exchange.CreateClientWithKey((string)department["credentials"]!["apiKey"]!);
        var json = "{\"records\": [" + Poisons.WithLoneSurrogate(MoveIn(People.Next().IdNumber), path) + "]}";

        using var response = await bureau.PostAsync("/api/v1/inbound", new StringContent(json, Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.True((int)response.StatusCode == 200, answer.ToJsonString());
        Assert.Equal("refused", (string?)answer["results"]![0]!["state"]);
        Assert.Equal([($"records[0].{path}", Poisons.LoneSurrogate)], answer["results"]![0]!["problem"]!.AsObject().Violations());
    }

    [Fact]
    public async Task A_poisoned_property_name_is_refused_on_its_object_without_repeating_it()
    {
        var department = await platform.CreateDepartmentAsync("names", InboundKinds);
        using var bureau = platform.Exchange.CreateClientWithKey((string)department["credentials"]!["apiKey"]!);
        var record = MoveIn(People.Next().IdNumber);
        record["person"]!["occu\0pation"] = "教师";

        var (_, answer) = await bureau.PostAsync("/api/v1/inbound", new JsonObject { ["records"] = new JsonArray(record) });

        Assert.Equal([("records[0].person", Poisons.ControlCharacter)], answer["results"]![0]!["problem"]!.AsObject().Violations());
        Assert.DoesNotContain("\0", answer.ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ReviewsAndPoisons =>
        Poisons.Cross(["dismiss reason", "reviews department", "department path"],
            (part, poison) => !(part == "dismiss reason" && poison.StartsWith("LF", StringComparison.Ordinal)) && !(part == "department path" && poison == "NUL"));

    [Theory]
    [MemberData(nameof(ReviewsAndPoisons))]
    public async Task A_poisoned_dismiss_reason_query_or_path_is_refused_naming_it(string part, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var text = Poisons.Into(part == "dismiss reason" ? "Moved to Nanjing; registered there." : "police", character);
        var (parameter, (status, problem)) = part switch
        {
            "dismiss reason" => ("reason", await platform.ExchangeAdmin.PostAsync($"/api/v1/inbound/reviews/{Guid.NewGuid()}/dismiss", new { reason = text })),
            "reviews department" => ("department", await platform.ExchangeAdmin.GetJsonAsync($"/api/v1/inbound/reviews?department={Uri.EscapeDataString(text)}")),
            _ => ("code", await platform.ExchangeAdmin.GetJsonAsync($"/api/v1/departments/{Uri.EscapeDataString(text)}")),
        };

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Equal([(parameter, rule)], problem.Violations());
    }
}

public sealed class ExchangePoisonOnSqliteTests(SqlitePoisonPlatform platform) : ExchangePoisonBehaviour(platform), IClassFixture<SqlitePoisonPlatform>;

public sealed class ExchangePoisonOnPostgreSqlTests(PostgreSqlPoisonPlatform platform) : ExchangePoisonBehaviour(platform), IClassFixture<PostgreSqlPoisonPlatform>
{
    public static TheoryData<string, string> AmqpFieldsAndPoisons => Poisons.Cross(["move-in person.name", "move-out destination", "correction changes.residenceAddress"]);

    [Theory]
    [MemberData(nameof(AmqpFieldsAndPoisons))]
    public async Task A_poisoned_record_pushed_over_AMQP_is_refused_and_its_status_names_the_field_and_rule(string field, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var department = await Platform.CreateDepartmentAsync("amqp", InboundKinds);
        var amqp = department["credentials"]!["amqp"]!;
        var (make, path) = RecordFields[field];
        var record = make(People.Next().IdNumber);
        Poisons.Poison(record, path, character);

        var factory = new ConnectionFactory { Uri = DepartmentQueue.As(Platform.VirtualHost!, (string)amqp["user"]!, (string)amqp["password"]!), AutomaticRecoveryEnabled = false };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.BasicPublishAsync((string)amqp["inboundExchange"]!, "", mandatory: false,
                new BasicProperties { Persistent = true, ContentType = "application/json" }, Encoding.UTF8.GetBytes(record.ToJsonString()));
        }

        using var bureau = Platform.Exchange.CreateClientWithKey((string)department["credentials"]!["apiKey"]!);
        JsonObject status = [];
        await Eventually.TrueAsync(async () =>
        {
            var (code, body) = await bureau.GetJsonAsync($"/api/v1/inbound/{record["recordId"]}");
            status = body;
            return code == 200;
        }, TimeSpan.FromSeconds(30), $"the status of {record["recordId"]}");

        Assert.Equal("refused", (string?)status["state"]);
        Assert.Contains((path, rule), status["refusal"]!.AsObject().Violations());
        Assert.DoesNotContain(character, status.ToJsonString(), StringComparison.Ordinal);
    }
}
