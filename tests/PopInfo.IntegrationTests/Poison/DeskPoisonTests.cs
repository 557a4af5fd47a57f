using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Identity;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Poison;

/// <summary>
/// The desk's entrances — forms (create, edit, create-and-submit), withdraw reasons, CSV import, queries and paths —
/// and the provider's accounts refuse poisoned free text naming the field and the rule, and store none of it.
/// </summary>
public abstract class DeskPoisonBehaviour(PoisonPlatform platform)
{
    private static int births;

    /// <summary>A valid birth's data (no mother: a reason instead), with a fresh identity number.</summary>
    private static JsonObject BirthData()
    {
        var n = Interlocked.Increment(ref births);
        var birth = CityDate.Today.AddDays(-3 - (n / 400));
        return new JsonObject
        {
            ["idNumber"] = IdentityNumber.Create("320211", birth, (n % 400 * 2) + 1),
            ["name"] = "李小明",
            ["sex"] = "1",
            ["birthDate"] = birth.ToString("yyyy-MM-dd"),
            ["ethnicity"] = "01",
            ["noMotherReason"] = "弃婴",
            ["occupation"] = "学生",
            ["phone"] = "13912345678",
            ["registeredAddress"] = "春华路1号",
            ["residenceAddress"] = "春华路1号",
        };
    }

    /// <summary>Every free-text field of a desk form: the form type that takes it and its data.</summary>
    private static readonly Dictionary<string, (string FormType, Func<JsonObject> Data)> FormFields = new()
    {
        ["name"] = ("birth", BirthData),
        ["occupation"] = ("birth", BirthData),
        ["phone"] = ("birth", BirthData),
        ["registeredAddress"] = ("birth", BirthData),
        ["residenceAddress"] = ("birth", BirthData),
        ["noMotherReason"] = ("birth", BirthData),
        ["origin"] = ("move-in", () => new JsonObject { ["idNumber"] = People.Next().IdNumber, ["name"] = "王芳", ["origin"] = "南京市", ["moveDate"] = "2025-06-01" }),
        ["destination"] = ("move-out", () => new JsonObject { ["idNumber"] = People.Next().IdNumber, ["moveDate"] = "2025-06-01", ["destination"] = "上海市" }),
        ["reason"] = ("correction", () => new JsonObject { ["idNumber"] = People.Next().IdNumber, ["occupation"] = "教师", ["reason"] = "登记有误" }),
    };

    public static TheoryData<string, string> FormFieldsAndPoisons => Poisons.Cross(FormFields.Keys);

    [Theory]
    [MemberData(nameof(FormFieldsAndPoisons))]
    public async Task A_poisoned_form_field_is_refused_as_a_draft_and_when_submitted_at_once_and_nothing_is_stored(string field, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var desk = platform.DeskCollector;
        var before = await FormCountAsync(desk);

        foreach (var submit in new[] { false, true })
        {
            var (formType, data) = FormFields[field];
            var body = new JsonObject { ["formType"] = formType, ["data"] = data(), ["submit"] = submit };
            Poisons.Poison(body, $"data.{field}", character);

            var (status, problem) = await desk.PostAsync("/api/v1/forms", body);

            Assert.True(status == 400, $"submit {submit}: {status} {problem}");
            Assert.Contains((field, rule), problem.Violations());
            Assert.DoesNotContain(character, problem.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await FormCountAsync(desk));
    }

    public static TheoryData<string, string> FormPartsAndPoisons => Poisons.Cross(["note", "formType", "communityCode"], (part, poison) => !(part == "note" && poison.StartsWith("LF", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(FormPartsAndPoisons))]
    public async Task A_poisoned_note_form_type_or_community_is_refused_and_nothing_is_stored(string part, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var desk = platform.DeskCollector;
        var before = await FormCountAsync(desk);
        var body = new JsonObject { ["formType"] = "birth", ["communityCode"] = platform.Community, ["note"] = "母亲代为登记", ["data"] = BirthData() };
        Poisons.Poison(body, part, character);

        var (status, problem) = await desk.PostAsync("/api/v1/forms", body);

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Contains((part, rule), problem.Violations());
        Assert.Equal(before, await FormCountAsync(desk));
    }

    [Fact]
    public async Task A_note_and_a_withdraw_reason_may_run_over_lines()
    {
        var desk = platform.DeskCollector;
        var (created, form) = await desk.PostAsync("/api/v1/forms", new JsonObject { ["formType"] = "birth", ["note"] = "第一行\r\n\t第二行", ["data"] = BirthData() });
        Assert.True(created == 201, form.ToJsonString());
        Assert.Equal("第一行\r\n\t第二行", (string?)form["note"]);

        var (withdrawn, after) = await desk.PostAsync($"/api/v1/forms/{form["id"]}/withdraw", new { revision = 1, reason = "重复录入,\n已删除" });
        Assert.True(withdrawn == 200, after.ToJsonString());
    }

    public static TheoryData<string, string> EditsAndPoisons => Poisons.Cross(["data.name", "data.residenceAddress", "note", "withdraw reason"],
        (part, poison) => !(part is "note" or "withdraw reason" && poison.StartsWith("LF", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(EditsAndPoisons))]
    public async Task A_poisoned_edit_or_withdraw_reason_is_refused_and_the_draft_is_unchanged(string part, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var desk = platform.DeskCollector;
        var (_, draft) = await desk.PostAsync("/api/v1/forms", new JsonObject { ["formType"] = "birth", ["note"] = "草稿", ["data"] = BirthData() });
        var id = (string)draft["id"]!;

        var (status, problem) = part == "withdraw reason"
            ? await desk.PostAsync($"/api/v1/forms/{id}/withdraw", new { revision = 1, reason = Poisons.Into("重复录入", character) })
            : await EditAsync(desk, id, part, character);

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Contains((part is "withdraw reason" ? "reason" : part.Replace("data.", "", StringComparison.Ordinal), rule), problem.Violations());
        var (_, now) = await desk.GetJsonAsync($"/api/v1/forms/{id}");
        Assert.Equal((1, "draft", "草稿"), ((int)now["revision"]!, (string?)now["state"], (string?)now["note"]));
        Assert.Equal(draft["data"]!.ToJsonString(), now["data"]!.ToJsonString());
    }

    private static async Task<(int, JsonObject)> EditAsync(HttpClient desk, string id, string part, string character)
    {
        var body = new JsonObject { ["revision"] = 1, ["note"] = "草稿", ["data"] = BirthData() };
        Poisons.Poison(body, part, character);
        using var response = await desk.PutAsJsonAsync($"/api/v1/forms/{id}", body);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public static TheoryData<string, string> AccountFieldsAndPoisons => Poisons.Cross(["userName", "displayName"]);

    /// <summary>People's accounts live at the identity provider (the desk has none of its own any more).</summary>
    [Theory]
    [MemberData(nameof(AccountFieldsAndPoisons))]
    public async Task A_poisoned_account_field_is_refused_at_the_provider_and_no_account_is_made(string field, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var admin = platform.IdentityAdmin;
        var before = (await admin.GetArrayAsync("/api/v1/accounts")).Count;

        var account = new JsonObject { ["userName"] = $"user-{Guid.NewGuid().ToString("N")[..8]}", ["displayName"] = "赵敏", ["role"] = "collector", ["regionCode"] = platform.Community, ["password"] = "a-long-password-1" };
        Poisons.Poison(account, field, character);
        var answer = await admin.PostAsync("/api/v1/accounts", account);

        Assert.True(answer.Status == 400, $"{answer.Status} {answer.Body}");
        // A user name is letters, digits and -_. only: a poisoned one breaks that rule, named as such.
        Assert.Contains((field, field == "userName" ? "user-name.format" : rule), answer.Body.Violations());
        Assert.Equal(before, (await admin.GetArrayAsync("/api/v1/accounts")).Count);
    }

    public static TheoryData<string, string> SignInNamesAndPoisons => Poisons.Cross(["provider sign-in userName"]);

    /// <summary>The provider's sign-in page, where the desk's people sign in: a poisoned user name is named, counted nowhere.</summary>
    [Theory]
    [MemberData(nameof(SignInNamesAndPoisons))]
    public async Task A_poisoned_user_name_at_the_providers_sign_in_page_is_refused_naming_the_rule(string part, string poison)
    {
        _ = part;
        var (character, rule) = Poisons.All[poison];
        using var browser = platform.Identity.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(IdentityHost.Issuer),
        });
        var page = await browser.GetStringAsync("/account/sign-in");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(page, "name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"");
        using var response = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
            ["returnUrl"] = "/", ["userName"] = Poisons.Into(PoisonPlatform.Collector, character), ["password"] = "a-long-password-1",
        }));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {html}");
        Assert.Contains($"({rule})", html, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> QueriesAndPoisons =>
        Poisons.Cross(["forms communityCode", "person lookup name", "sign-in return address"]);

    [Theory]
    [MemberData(nameof(QueriesAndPoisons))]
    public async Task A_poisoned_query_or_path_is_refused_naming_the_parameter(string part, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var desk = platform.DeskCollector;
        using var anonymous = platform.Desk.CreateBrowserLikeClient();
        var (parameter, request) = part switch
        {
            "forms communityCode" => ("communityCode", desk.GetAsync($"/api/v1/forms?communityCode={Uri.EscapeDataString(Poisons.Into(platform.Community, character))}")),
            "person lookup name" => ("name", desk.GetAsync($"/api/v1/persons?name={Uri.EscapeDataString(Poisons.Into("王芳", character))}")),
            _ => ("returnUrl", anonymous.GetAsync($"/account/sign-in?returnUrl={Uri.EscapeDataString(Poisons.Into("/desk/x", character))}")),
        };
        using var response = await request;
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.True((int)response.StatusCode == 400, $"{(int)response.StatusCode} {problem}");
        Assert.Equal([(parameter, rule)], problem.Violations());
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_in_form_data_or_a_note_is_refused_by_the_free_text_rule()
    {
        var desk = platform.DeskCollector;
        var before = await FormCountAsync(desk);

        foreach (var (path, field) in new[] { ("data.name", "data"), ("note", "note") })
        {
            var json = Poisons.WithLoneSurrogate(new JsonObject { ["formType"] = "birth", ["note"] = "备注", ["data"] = BirthData() }, path);
            using var response = await desk.PostAsync("/api/v1/forms", new StringContent(json, Encoding.UTF8, "application/json"));
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

            Assert.True((int)response.StatusCode == 400, problem.ToJsonString());
            Assert.Equal([(field, Poisons.LoneSurrogate)], problem.Violations());
        }

        Assert.Equal(before, await FormCountAsync(desk));
    }

    /// <summary>Every free-text column of the CSV format, by its Chinese header, with a row it belongs in.</summary>
    private static readonly Dictionary<string, (string Header, string Field, string FormType, string Value)> CsvColumns = new()
    {
        ["姓名"] = ("姓名", "name", "出生", "李小明"),
        ["职业"] = ("职业", "occupation", "出生", "教师"),
        ["户籍地址"] = ("户籍地址", "registeredAddress", "出生", "春华路1号"),
        ["居住地址"] = ("居住地址", "residenceAddress", "出生", "春华路1号"),
        ["无母亲信息原因"] = ("无母亲信息原因", "noMotherReason", "出生", "弃婴"),
        ["迁出地"] = ("迁出地", "origin", "迁入", "南京市"),
        ["迁往地"] = ("迁往地", "destination", "迁出", "上海市"),
        ["更正原因"] = ("更正原因", "reason", "信息更正", "登记有误"),
        ["备注"] = ("备注", "note", "死亡", "医院证明"),
        ["表单类型"] = ("表单类型", "formType", "死亡", "死亡"),
    };

    // A NUL byte refuses the whole file (csv.encoding, naming its line: the test below); a line break is text in a note.
    public static TheoryData<string, string> CsvColumnsAndPoisons =>
        Poisons.Cross(CsvColumns.Keys, (column, poison) => poison != "NUL" && !(column == "备注" && poison.StartsWith("LF", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(CsvColumnsAndPoisons))]
    public async Task A_poisoned_CSV_cell_is_answered_with_its_line_field_and_rule_and_kept_back(string column, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var (header, field, formType, value) = CsvColumns[column];
        var desk = platform.DeskCollector;
        var before = await FormCountAsync(desk);
        var headers = header == "表单类型" ? ["表单类型", "公民身份号码"] : new[] { "表单类型", "公民身份号码", header };
        var cells = header == "表单类型"
            ? [Poisons.Into(value, character), People.Next().IdNumber]
            : new[] { formType, People.Next().IdNumber, Poisons.Into(value, character) };

        var (status, result) = await UploadAsync(desk, Csv(headers, cells), "forms.csv");

        Assert.True(status == 201, $"{status} {result}");
        Assert.Equal((1, 0, 1), ((int)result["rows"]!, (int)result["accepted"]!, (int)result["rejected"]!));
        var bad = Assert.Single(result["badRows"]!.AsArray())!;
        Assert.Equal(2, (int)bad["line"]!);
        Assert.Contains((field, rule), bad["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!)));
        Assert.DoesNotContain(character, result.ToJsonString(), StringComparison.Ordinal);
        var (_, kept) = await desk.GetJsonAsync($"/api/v1/imports/{result["importId"]}");
        Assert.Contains((field, rule), kept["badRows"]![0]!["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!)));
        Assert.Equal(before, await FormCountAsync(desk));
    }

    [Fact]
    public async Task A_NUL_in_a_CSV_file_refuses_the_file_naming_its_line()
    {
        var desk = platform.DeskCollector;

        var (status, problem) = await UploadAsync(desk, Csv(["表单类型", "公民身份号码", "迁往地"], ["迁出", People.Next().IdNumber, "上海\0市"]), "forms.csv");

        Assert.Equal(400, status);
        Assert.Equal([("file", "csv.encoding")], problem.Violations());
        Assert.Contains("Line 2", (string?)problem["detail"] + problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CSV_file_whose_name_hides_a_bidi_override_is_refused()
    {
        var desk = platform.DeskCollector;

        var (status, problem) = await UploadAsync(desk, Csv(["表单类型", "公民身份号码"], ["死亡", People.Next().IdNumber]), "forms\u202Evsc.exe");

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Equal([("fileName", Poisons.BidiOverride)], problem.Violations());
    }

    private static string Csv(string[] headers, string[] cells) =>
        string.Join(",", headers) + "\n" + string.Join(",", cells.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\n";

    private static async Task<(int Status, JsonObject Body)> UploadAsync(HttpClient desk, string csv, string fileName)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", fileName);
        using var response = await desk.PostAsync("/api/v1/forms/import", content);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static async Task<int> FormCountAsync(HttpClient desk) => (await desk.GetArrayAsync("/api/v1/forms")).Count;
}

public sealed class DeskPoisonOnPostgreSqlTests(PostgreSqlPoisonPlatform platform) : DeskPoisonBehaviour(platform), IClassFixture<PostgreSqlPoisonPlatform>;

public sealed class DeskPoisonOnSqliteTests(SqlitePoisonPlatform platform) : DeskPoisonBehaviour(platform), IClassFixture<SqlitePoisonPlatform>;
