using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>Departments and entitlements: validated field by field, kept with an audit trail, behind keys.</summary>
public sealed class AdministrationTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Fact]
    public async Task A_bad_department_is_refused_field_by_field_and_nothing_is_stored()
    {
        var before = (await fixture.Admin.GetArrayAsync("/api/v1/departments")).Count;
        var (status, problem) = await fixture.Admin.PostAsync("/api/v1/departments", new
        {
            code = "Police Bureau",
            name = "",
            contact = "x",
            webhookUrl = "http://bureau.example.cn/hook",
            inboundKinds = new[] { "birth", "marriage" },
        });

        Assert.Equal(400, status);
        Assert.Equal("urn:popinfo:problem:validation", (string)problem["type"]!);
        var violations = problem.Violations();
        Assert.Contains(("code", "department.code"), violations);
        Assert.Contains(("name", "required"), violations);
        Assert.Contains(("webhookUrl", "webhook.https"), violations);
        Assert.Contains(("inboundKinds[1]", "department.inbound-kind"), violations);
        Assert.Equal(before, (await fixture.Admin.GetArrayAsync("/api/v1/departments")).Count);

        var existing = await fixture.CreateDepartmentAsync("dupe");
        var (again, conflict) = await fixture.Admin.PostAsync("/api/v1/departments", new { code = existing.Code, name = "again", contact = "x" });
        Assert.Equal(409, again);
        Assert.Equal(("code", "department.exists"), ((string)conflict["field"]!, (string)conflict["rule"]!));
    }

    [Fact]
    public async Task A_bad_subscription_is_refused_field_by_field_and_every_change_to_an_entitlement_is_audited()
    {
        var bureau = await fixture.CreateDepartmentAsync("audit");
        var (status, problem) = await fixture.Admin.PostAsync($"/api/v1/departments/{bureau.Code}/subscriptions", new
        {
            changeTypes = new[] { "born", "married" },
            regions = new[] { "320205001001", "999999999999" },
            fields = new[] { "name", "salary" },
            purpose = "need it",
        });
        Assert.Equal(400, status);
        var violations = problem.Violations();
        Assert.Contains(("changeTypes[1]", "subscription.change-type"), violations);
        Assert.Contains(("regions[1]", "subscription.region"), violations);
        Assert.Contains(("fields[1]", "subscription.field"), violations);
        Assert.Contains(("purpose", "subscription.purpose"), violations);
        Assert.Empty(await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/subscriptions"));

        var created = await fixture.SubscribeAsync(bureau.Code, ["born"], ["320205001001"], ["sex"], "Plans school places from births.");
        var id = (string)created["id"]!;
        var (stale, staleProblem) = await Put(fixture.Admin, $"/api/v1/departments/{bureau.Code}/subscriptions/{id}",
            new { changeTypes = new[] { "born", "died" }, regions = new[] { "320205001001" }, fields = new[] { "sex", "name" }, purpose = "Plans school places from births.", expectedVersion = 7 });
        Assert.Equal(409, stale);
        Assert.Equal("urn:popinfo:problem:version-conflict", (string)staleProblem["type"]!);
        var (changed, _) = await Put(fixture.Admin, $"/api/v1/departments/{bureau.Code}/subscriptions/{id}",
            new { changeTypes = new[] { "born", "died" }, regions = new[] { "320205001001" }, fields = new[] { "sex", "name" }, purpose = "Plans school places from births.", expectedVersion = 1 });
        Assert.Equal(200, changed);
        using var ended = await fixture.Admin.DeleteAsync($"/api/v1/departments/{bureau.Code}/subscriptions/{id}?expectedVersion=2");
        Assert.Equal(200, (int)ended.StatusCode);

        var audit = await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/audit");
        Assert.Equal(["department.created", "subscription.created", "subscription.changed", "subscription.ended"], audit.Select(a => (string)a!["action"]!));
        var change = audit[2]!;
        Assert.Equal("admin", (string)change["actor"]!);
        Assert.Equal(["sex"], change["before"]!["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(["sex", "name"], change["after"]!["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("ended", (string)audit[3]!["after"]!["status"]!);
        // The audit trail never holds a secret.
        Assert.DoesNotContain(bureau.ApiKey, audit.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(bureau.WebhookSecret, audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_decide_who_may_do_what_and_a_rotated_key_stops_working_at_once()
    {
        var bureau = await fixture.CreateDepartmentAsync("keys");
        using var anonymous = fixture.Exchange.CreateClient();
        Assert.Equal(401, (await anonymous.GetJsonAsync("/api/v1/departments")).Status);
        Assert.Equal(401, (await anonymous.GetJsonAsync("/api/v1/feed")).Status);

        using var department = fixture.Exchange.CreateClientWithKey(bureau.ApiKey);
        Assert.Equal(403, (await department.GetJsonAsync("/api/v1/departments")).Status);
        Assert.Equal(200, (await department.GetJsonAsync("/api/v1/feed")).Status);
        Assert.Equal(403, (await fixture.Admin.GetJsonAsync("/api/v1/feed")).Status);
        var (badLimit, problem) = await department.GetJsonAsync("/api/v1/feed?after=-1&limit=5000");
        Assert.Equal(400, badLimit);
        Assert.Equal([("after", "range"), ("limit", "range")], problem.Violations());

        var (rotated, fresh) = await fixture.Admin.PostAsync($"/api/v1/departments/{bureau.Code}/credentials/api-key", new { });
        Assert.Equal(200, rotated);
        Assert.Equal(401, (await department.GetJsonAsync("/api/v1/feed")).Status);
        using var renewed = fixture.Exchange.CreateClientWithKey((string)fresh["apiKey"]!);
        Assert.Equal(200, (await renewed.GetJsonAsync("/api/v1/feed")).Status);

        // Suspended: its key stops working too.
        var (_, current) = await fixture.Admin.GetJsonAsync($"/api/v1/departments/{bureau.Code}");
        var (suspended, _) = await Patch(fixture.Admin, $"/api/v1/departments/{bureau.Code}", new { status = "suspended", expectedVersion = (int)current["version"]! });
        Assert.Equal(200, suspended);
        Assert.Equal(401, (await renewed.GetJsonAsync("/api/v1/feed")).Status);
        var (unknownKind, kindProblem) = await fixture.Admin.PostAsync($"/api/v1/departments/{bureau.Code}/credentials/password", new { });
        Assert.Equal(400, unknownKind);
        Assert.Contains(("kind", "credential.kind"), kindProblem.Violations());
    }

    private static async Task<(int, JsonObject)> Put(HttpClient client, string url, object body)
    {
        using var response = await client.PutAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private static async Task<(int, JsonObject)> Patch(HttpClient client, string url, object body)
    {
        using var response = await client.PatchAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }
}
