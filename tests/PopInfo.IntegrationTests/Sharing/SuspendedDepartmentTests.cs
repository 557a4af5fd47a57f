using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// A department suspended at the identity provider gets no new token (Identity.TokenTests) and its last token is refused
/// once it expires: access tokens live at most a minute with five seconds' skew, so within 60 s. A grant suspended here
/// is refused at the next request.
/// </summary>
public sealed class SuspendedDepartmentTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    [Fact]
    public async Task A_departments_last_token_is_refused_within_60_seconds_and_a_suspended_grant_at_once()
    {
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        fixture.StartSharing();
        await fixture.CaughtUpAsync();
        await fixture.GrantAsync("tax", new
        {
            operations = new[] { "verify" }, fields = new Dictionary<string, string>(), regions = new[] { "320200" }, purposes = new[] { "tax-administration" },
            requestsPerMinute = 1000, dailyQuota = 1000, mayTellNotFound = false,
        });
        var question = new { idNumber = person.IdNumber, name = person.Name, purpose = "tax-administration", caseReference = "T-1" };

        // The token the department holds when it is suspended (a short one, so the test need not wait a minute).
        var issued = Stopwatch.StartNew();
        using var holder = fixture.Sharing!.ClientWithToken(TestIssuer.Shared.Token(
            [PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId("tax"), lifetime: TimeSpan.FromSeconds(2)));
        Assert.Equal(HttpStatusCode.OK, (await holder.PostAsJsonAsync("/api/v1/verify", question)).StatusCode);
        await Eventually.TrueAsync(async () => (await holder.PostAsJsonAsync("/api/v1/verify", question)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(60), "the expired token refused");
        Assert.True(issued.Elapsed < TimeSpan.FromSeconds(60), $"refused after {issued.Elapsed.TotalSeconds:0} s");

        // A grant suspended by an administrator: the next request is refused, naming the rule.
        using var admin = fixture.Sharing.CreateAdminClient();
        var version = (int)(await admin.GetJsonAsync("/api/v1/grants/dept-tax")).Body["version"]!;
        using var suspend = new HttpRequestMessage(HttpMethod.Post, "/api/v1/grants/dept-tax/suspend");
        suspend.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(suspend)).StatusCode);
        using var department = fixture.Sharing.CreateDepartmentClient("tax");
        using var refused = await department.PostAsJsonAsync("/api/v1/verify", question);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("grant.none", (string?)System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["rule"]);
    }
}
