using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>
/// People sign in at the provider's page and an application gets their tokens by authorization code with PKCE;
/// a disabled account gets no more; wrong passwords lock an account, counted atomically.
/// </summary>
public sealed partial class PeopleSignInTests : IAsyncLifetime
{
    private const string Callback = "http://127.0.0.1:5999/callback";
    private const string Password = "planner-password-1";
    private IdentityHost identity = null!;

    public async Task InitializeAsync()
    {
        identity = IdentityHost.OnSqlite(new Dictionary<string, string?>
        {
            ["PopInfo:Identity:AdminPassword"] = "first-admin-password",
            ["PopInfo:Identity:Applications:app:ClientId"] = "popinfo-test-app",
            ["PopInfo:Identity:Applications:app:RedirectUris:0"] = Callback,
        });
        using var admin = identity.CreateAdminClient();
        var (created, _) = await admin.PostAsync("/api/v1/accounts", new { userName = "wang.min", displayName = "王敏", role = "admin", password = Password });
        Assert.Equal(201, created);
    }

    public async Task DisposeAsync() => await identity.DisposeAsync();

    private HttpClient Browser() => identity.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://127.0.0.1:5107/"),
    });

    /// <summary>The whole dance a browser and the application do; returns the token endpoint's answer.</summary>
    private async Task<(int Status, JsonObject Body)> SignInAsync(HttpClient browser, string userName, string password)
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"/connect/authorize?client_id=popinfo-test-app&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}" +
            $"&scope={Uri.EscapeDataString("openid profile offline_access identity.admin")}&state=s1&code_challenge={challenge}&code_challenge_method=S256";

        using var first = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signInPage = first.Headers.Location!.ToString();
        Assert.StartsWith("http://127.0.0.1:5107/account/sign-in?returnUrl=", signInPage, StringComparison.Ordinal);

        var page = await browser.GetStringAsync(signInPage);
        var antiforgery = AntiforgeryField().Match(page);
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);
        using var posted = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
            ["returnUrl"] = returnUrl, ["userName"] = userName, ["password"] = password,
        }));
        if (posted.StatusCode != HttpStatusCode.Redirect)
        {
            return ((int)posted.StatusCode, []);
        }

        using var back = await browser.GetAsync(posted.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.StartsWith(Callback, callback.ToString(), StringComparison.Ordinal);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]!;
        Assert.Equal("s1", System.Web.HttpUtility.ParseQueryString(callback.Query)["state"]);

        return await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = "popinfo-test-app", ["code_verifier"] = verifier,
        });
    }

    private async Task<(int Status, JsonObject Body)> TokenAsync(Dictionary<string, string> form)
    {
        using var app = identity.CreateClient();
        using var response = await app.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task A_person_signs_in_and_the_application_gets_tokens_with_their_role()
    {
        using var browser = Browser();
        var (status, tokens) = await SignInAsync(browser, "wang.min", Password);
        Assert.Equal(200, status);
        var access = new JwtSecurityTokenHandler().ReadJwtToken((string)tokens["access_token"]!);
        Assert.Equal("wang.min", access.Subject);
        Assert.Equal("admin", access.Claims.Single(c => c.Type == "role").Value);
        Assert.Contains("identity.admin", access.Claims.Single(c => c.Type == "scope").Value.Split(' '));
        Assert.Equal(["popinfo-identity"], access.Audiences);
        Assert.DoesNotContain(access.Claims, c => c.Type == "popinfo_stamp");
        Assert.NotNull((string?)tokens["refresh_token"]);
        Assert.NotNull((string?)tokens["id_token"]);

        // The token works at the administration API (this provider trusts the tests' issuer; the person's token is checked by a second
        // registry-like consumer elsewhere): here, its refresh is what matters.
        var (refreshed, _) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = (string)tokens["refresh_token"]!, ["client_id"] = "popinfo-test-app" });
        Assert.Equal(200, refreshed);
    }

    [Fact]
    public async Task A_refresh_token_made_before_a_key_rotation_still_refreshes_after_it()
    {
        using var browser = Browser();
        var (_, tokens) = await SignInAsync(browser, "wang.min", Password);
        var before = new JwtSecurityTokenHandler().ReadJwtToken((string)tokens["access_token"]!).Header.Kid;

        // New signing and encryption keys at once: the refresh token was signed and encrypted with the previous ones.
        using var admin = identity.CreateAdminClient();
        using (var rotated = await admin.PostAsync("/api/v1/signing-keys/rotate", System.Net.Http.Json.JsonContent.Create(new { immediately = true })))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        var (refreshed, renewed) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = (string)tokens["refresh_token"]!, ["client_id"] = "popinfo-test-app" });
        Assert.True(refreshed == 200, renewed.ToJsonString());
        Assert.NotEqual(before, new JwtSecurityTokenHandler().ReadJwtToken((string)renewed["access_token"]!).Header.Kid);
        var (again, _) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = (string)renewed["refresh_token"]!, ["client_id"] = "popinfo-test-app" });
        Assert.Equal(200, again);
    }

    [Fact]
    public async Task A_disabled_account_gets_no_more_tokens_by_refresh()
    {
        using var browser = Browser();
        var (_, tokens) = await SignInAsync(browser, "wang.min", Password);
        using var admin = identity.CreateAdminClient();
        var account = (await admin.GetJsonArrayAsync("/api/v1/accounts")).Body.Single(a => (string)a!["userName"]! == "wang.min")!;
        var (disabled, _) = await admin.SendAsync(HttpMethod.Patch, "/api/v1/accounts/wang.min", new { expectedVersion = (int)account["version"]!, disabled = true });
        Assert.Equal(200, disabled);

        var (refused, error) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = (string)tokens["refresh_token"]!, ["client_id"] = "popinfo-test-app" });
        Assert.Equal(400, refused);
        Assert.Equal("invalid_grant", (string)error["error"]!);
        var (again, _) = await SignInAsync(Browser(), "wang.min", Password);
        Assert.Equal(401, again);
    }

    [Fact]
    public async Task Wrong_passwords_sent_at_once_lock_the_account_and_the_right_one_is_then_refused()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var browser = Browser();
            return (await SignInAsync(browser, "wang.min", "not-the-password")).Status;
        }));
        Assert.Contains(423, attempts);
        Assert.All(attempts, s => Assert.True(s is 401 or 423, $"status {s}"));

        using var late = Browser();
        Assert.Equal(423, (await SignInAsync(late, "wang.min", Password)).Status);
        using var admin = identity.CreateAdminClient();
        var account = (await admin.GetJsonArrayAsync("/api/v1/accounts")).Body.Single(a => (string)a!["userName"]! == "wang.min")!;
        Assert.NotNull((string?)account["lockedUntil"]);
    }

    [Fact]
    public async Task Account_rules_are_named_and_nothing_is_stored()
    {
        using var admin = identity.CreateAdminClient();
        var (status, problem) = await admin.PostAsync("/api/v1/accounts", new { userName = "x", displayName = "a\u0000b", role = "collector", regionCode = "3202", password = "short" });
        Assert.Equal(400, status);
        Assert.Equal(
            [("userName", "user-name.format"), ("displayName", "text.control-character"), ("regionCode", "region.level"), ("password", "password.length")],
            problem.Violations());
        Assert.DoesNotContain((await admin.GetJsonArrayAsync("/api/v1/accounts")).Body, a => (string)a!["userName"]! == "x");

        // The administrator (the token's subject "admin") cannot disable their own account.
        var self = (await admin.GetJsonArrayAsync("/api/v1/accounts")).Body.Single(a => (string)a!["userName"]! == "admin")!;
        var (refused, selfProblem) = await admin.SendAsync(HttpMethod.Patch, "/api/v1/accounts/admin", new { expectedVersion = (int)self["version"]!, disabled = true });
        Assert.Equal(400, refused);
        Assert.Equal([("disabled", "account.self")], selfProblem.Violations());
    }

    [Fact]
    public async Task Changes_through_an_administrators_session_need_the_pages_anti_forgery_token()
    {
        using var browser = Browser();
        await SignInAsync(browser, "wang.min", Password);
        // The session cookie alone reads, but does not change.
        var (listed, _) = await browser.GetJsonArrayAsync("/api/v1/accounts");
        Assert.Equal(200, listed);
        var (refused, problem) = await browser.PostAsync("/api/v1/accounts", new { userName = "li.na", displayName = "李娜", role = "planner", password = Password });
        Assert.Equal(400, refused);
        Assert.Equal([("X-CSRF-TOKEN", "antiforgery.token")], problem.Violations());
    }

    [GeneratedRegex("name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
