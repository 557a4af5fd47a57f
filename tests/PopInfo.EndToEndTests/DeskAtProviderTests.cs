using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.EndToEndTests;

/// <summary>
/// The embedded host as a city runs it: the desk signs people in at the platform's own identity provider. Accounts
/// the desk kept before move into the provider at start with their password hashes, so their people sign in with
/// the passwords they had; a password changed at the provider ends the desk's session at its next check.
/// </summary>
public sealed partial class DeskAtProviderTests
{
    private const string OldPassword = "the-old-desk-password";

    [Fact]
    public async Task The_desks_old_accounts_move_into_the_provider_and_sign_in_there_with_their_old_passwords()
    {
        var data = Path.Combine(Path.GetTempPath(), "popinfo-e2e-desk-provider-" + Guid.NewGuid().ToString("N")[..8]);
        var loopback = ServiceProcess.SpareLoopbackAddress();
        var community = RegionCatalogue.Wuxi.Communities[4];
        var settings = new Dictionary<string, string>
        {
            ["PopInfo__Collection__SignIn__Authority"] = $"http://{loopback}:5107/",
            ["PopInfo__Identity__AdminPassword"] = IdentityHost.AdminPassword,
            // Every desk request asks the provider again (30 s in production).
            ["PopInfo__Collection__SessionRecheck"] = "00:00:00",
        };
        try
        {
            // A first start makes the databases; then two accounts as the desk kept them before the provider.
            await using (var first = ServiceProcess.EmbeddedHost(data, loopback, settings))
            {
                await first.StartAsync();
            }

            await InsertOldDeskAccountsAsync(Path.Combine(data, "collection.db"), community.Code, community.ParentCode!);

            await using var host = ServiceProcess.EmbeddedHost(data, loopback, settings);
            await host.StartAsync();
            using var provider = new HttpClient { BaseAddress = new Uri($"http://{loopback}:5107/") };
            provider.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                TestIssuer.Shared.Token([PlatformScopes.IdentityAdmin], subject: "e2e-admin", role: "admin"));
            var moved = await WaitForAccountAsync(provider, "old-collector");
            Assert.Equal("collector", (string)moved["role"]!);
            Assert.Equal(community.Code, (string)moved["regionCode"]!);
            Assert.False((bool)moved["disabled"]!);
            // A desk administrator arrives disabled: at the provider the role is wider than the desk's.
            Assert.True((bool)(await WaitForAccountAsync(provider, "old-admin"))["disabled"]!);

            // The old password works at the provider, and the desk's session has the collector's community.
            using var browser = Browser();
            Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(browser, new Uri($"http://{loopback}:5102/"), "old-collector", OldPassword));
            var (status, session) = await browser.GetJsonAsync($"http://{loopback}:5102/api/v1/session");
            Assert.Equal(200, status);
            Assert.Equal(community.Code, (string)session["communityCode"]!);

            // No second copy of the hash stays at the desk.
            Assert.Equal(0L, await ScalarAsync(Path.Combine(data, "collection.db"), "SELECT COUNT(*) FROM accounts WHERE password_hash <> '' OR moved_at IS NULL"));

            // A new password set at the provider ends the desk's session at its next check.
            var (changed, answer) = await provider.SendAsync(HttpMethod.Patch, "api/v1/accounts/old-collector",
                new { expectedVersion = (int)moved["version"]!, password = "a-brand-new-password" });
            Assert.True(changed == 200, answer.ToJsonString());
            Assert.Equal(401, (await browser.GetJsonAsync($"http://{loopback}:5102/api/v1/session")).Status);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

    /// <summary>The browser's way: the desk sends it to the provider, which shows its page; the password posted, back to the desk.</summary>
    private static async Task<HttpStatusCode> SignInAsync(HttpClient browser, Uri desk, string userName, string password)
    {
        var next = new Uri(desk, "account/sign-in");
        Uri? signInPage = null;
        for (var hop = 0; hop < 5 && signInPage is null; hop++)
        {
            using var response = await browser.GetAsync(next);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            next = new Uri(next, response.Headers.Location!);
            signInPage = next.AbsolutePath == "/account/sign-in" && next.Port == 5107 ? next : null;
        }

        var page = await browser.GetStringAsync(signInPage);
        var antiforgery = AntiforgeryField().Match(page);
        using var posted = await browser.PostAsync(signInPage, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value), ["userName"] = userName, ["password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        next = new Uri(signInPage!, posted.Headers.Location!);
        // The provider's authorization endpoint, then the desk's callback, which answers with the desk's own page.
        for (var hop = 0; hop < 5 && next.AbsolutePath != "/desk"; hop++)
        {
            using var response = await browser.GetAsync(next);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                return response.StatusCode;
            }

            next = new Uri(next, response.Headers.Location!);
        }

        return next.AbsolutePath == "/desk" ? HttpStatusCode.Redirect : HttpStatusCode.InternalServerError;
    }

    private static async Task<JsonObject> WaitForAccountAsync(HttpClient provider, string userName)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var accounts = JsonNode.Parse(await provider.GetStringAsync("api/v1/accounts"))!.AsArray();
            if (accounts.FirstOrDefault(a => (string)a!["userName"]! == userName) is JsonObject found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < until, $"{userName} did not move into the provider within 30 s");
            await Task.Delay(200);
        }
    }

    private sealed class DeskAccount;

    private static async Task InsertOldDeskAccountsAsync(string database, string community, string street)
    {
        var hash = new PasswordHasher<DeskAccount>().HashPassword(new DeskAccount(), OldPassword);
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accounts (user_name, display_name, role, community_code, street_code, password_hash, failed_sign_ins, locked_until, disabled, created_at, updated_at)
            VALUES ('old-collector', '老采集员', 'collector', $community, $street, $hash, 0, NULL, 0, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00'),
                   ('old-admin', '老管理员', 'admin', NULL, NULL, $hash, 0, NULL, 0, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')
            """;
        command.Parameters.AddWithValue("$community", community);
        command.Parameters.AddWithValue("$street", street);
        command.Parameters.AddWithValue("$hash", hash);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
