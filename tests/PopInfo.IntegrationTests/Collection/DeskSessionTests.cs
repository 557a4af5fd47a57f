using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// People sign in at the identity provider (here the tests' issuer); the desk keeps a session of its own and asks the
/// provider again — by redeeming the session's refresh token — at every check (every request in tests, at most 30 s in
/// production). A disabled account's session ends at the next check, not when the 8-hour cookie runs out.
/// </summary>
public sealed class DeskSessionTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task A_person_signed_in_at_the_provider_has_a_desk_session_with_their_role_and_region()
    {
        using var collector = await fixture.SignInAsync("collector-a");
        var (status, session) = await collector.GetJsonAsync("/api/v1/session");
        Assert.Equal(200, status);
        Assert.Equal("collector-a", (string)session["userName"]!);
        Assert.Equal("张丽", (string)session["displayName"]!);
        Assert.Equal("collector", (string)session["role"]!);
        Assert.Equal(fixture.CommunityA, (string)session["communityCode"]!);
        Assert.Equal(fixture.Street, (string)session["streetCode"]!);
        Assert.True(await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM collection.audit_log WHERE action = 'sign-in' AND actor = 'collector-a' AND outcome = 'ok' AND detail = 'at the identity provider'") >= 1);
    }

    [Fact]
    public async Task Disabling_the_account_at_the_provider_ends_its_open_session_at_the_next_check()
    {
        fixture.Add(new TestPerson("collector-leaving", "周", "collector", fixture.CommunityB));
        using var collector = await fixture.SignInAsync("collector-leaving");
        Assert.Equal(200, (await collector.GetJsonAsync("/api/v1/session")).Status);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await collector.GetAsync("/api/v1/forms")).StatusCode);

        fixture.Disable("collector-leaving");
        var (ended, problem) = await collector.GetJsonAsync("/api/v1/session");
        Assert.Equal(401, ended);
        Assert.Equal("session.required", (string)problem["rule"]!);
        // The cookie is gone: the next request is not even checked again.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await collector.GetAsync("/api/v1/forms")).StatusCode);
        Assert.Equal(1, await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM collection.audit_log WHERE action = 'session.end' AND actor = 'collector-leaving'"));
    }

    [Theory]
    [InlineData("planner", null, "role.desk")]
    [InlineData("collector", null, "region.required")]
    [InlineData("supervisor", "320213", "region.level")]
    public async Task A_person_the_desk_is_not_for_is_refused_at_sign_in_naming_the_rule(string role, string? region, string rule)
    {
        var userName = $"not-for-desk-{role}-{region ?? "none"}";
        fixture.Add(new TestPerson(userName, "某人", role, region));
        using var client = fixture.Desk.CreateBrowserLikeClient();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DeskSignIn.SignInAsync(client, fixture.HintOf(userName)));
        Assert.Contains("signIn=" + rule, error.Message, StringComparison.Ordinal);
        Assert.Equal(401, (await client.GetJsonAsync("/api/v1/session")).Status);
        Assert.Equal(1, await fixture.ScalarAsync(
            $"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'sign-in' AND actor = '{userName}' AND outcome = 'refused' AND detail LIKE '{rule}%'"));
    }

    [Fact]
    public async Task Signing_in_returns_only_to_a_path_of_the_desk()
    {
        using var client = fixture.Desk.CreateBrowserLikeClient();
        foreach (var (returnUrl, expected) in new[] { ("/desk?day=1", "/desk?day=1"), ("https://evil.example/", "/desk"), ("//evil.example/", "/desk"), ("/\\evil", "/desk") })
        {
            using var start = await client.GetAsync($"/account/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}&loginHint={fixture.HintOf("collector-a")}");
            using var issuer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var code = await issuer.GetAsync(start.Headers.Location);
            using var back = await client.GetAsync(code.Headers.Location!.PathAndQuery);
            Assert.Equal(expected, back.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task A_session_made_at_one_desk_instance_holds_at_another_on_the_same_database()
    {
        var cookies = await DeskSignIn.SignInCookiesAsync(fixture.Desk.CreateBrowserLikeClient(), fixture.HintOf("supervisor"));
        var header = string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("popinfo.desk", StringComparison.Ordinal)));
        await using var second = new CollectionHost(RegistryHost.DistributedSettings(fixture.Database, fixture.VirtualHost), null);
        using var client = second.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", header);

        var (status, session) = await client.GetJsonAsync("/api/v1/session");

        Assert.True(status == 200, session.ToJsonString());
        Assert.Equal("supervisor", (string)session["userName"]!);
        // The key that protects it is in the service's database (wrapped by the master key), not in a folder of one machine.
        Assert.True(await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.data_protection_keys") >= 1);
    }

    [Fact]
    public async Task The_desk_has_no_passwords_of_its_own_any_more()
    {
        using var client = fixture.Desk.CreateBrowserLikeClient();
        Assert.Equal(405, (await client.PostAsync("/api/v1/session", new { userName = "collector-a", password = "collector-password-1" })).Status);
        Assert.Equal(404, (await client.PostAsync("/api/v1/accounts", new { userName = "x" })).Status);
    }
}
