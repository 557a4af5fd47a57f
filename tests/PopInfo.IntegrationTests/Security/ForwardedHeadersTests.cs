using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Identity.Audit;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// <c>X-Forwarded-For</c> believed from the proxies named in <c>PopInfo:ForwardedHeaders</c> only: behind a trusted proxy
/// the identity provider's sign-in limit per address and its audit see the caller's address; the same header from any
/// other peer — loopback included when nothing is set — is ignored, and the peer's own address is counted and recorded.
/// </summary>
public sealed partial class ForwardedHeadersTests : IAsyncLifetime
{
    private const string Proxy = "10.9.0.1";
    private readonly List<IdentityHost> hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_limit_and_the_audit_see_each_caller_and_not_what_a_caller_wrote_itself()
    {
        var identity = Identity(trusted: Proxy);

        Assert.Equal(401, await SignInAsync(identity, Proxy, "203.0.113.5", "spray.0"));
        // A caller's own X-Forwarded-For reaches the service to the left of the address the proxy appended: not taken.
        Assert.Equal(401, await SignInAsync(identity, Proxy, "198.51.100.9, 203.0.113.5", "spray.1"));
        Assert.Equal(429, await SignInAsync(identity, Proxy, "203.0.113.5", "spray.2"));
        Assert.Equal(401, await SignInAsync(identity, Proxy, "203.0.113.6", "spray.3"));

        Assert.Equal(["203.0.113.5", "203.0.113.5", "203.0.113.6"], await RecordedAddressesAsync(identity));
    }

    [Fact]
    public async Task The_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored()
    {
        var identity = Identity(trusted: Proxy);

        Assert.Equal(401, await SignInAsync(identity, "10.9.0.2", "203.0.113.7", "spoof.0"));
        Assert.Equal(401, await SignInAsync(identity, "10.9.0.2", "203.0.113.8", "spoof.1"));
        Assert.Equal(429, await SignInAsync(identity, "10.9.0.2", "203.0.113.9", "spoof.2"));

        Assert.Equal(["10.9.0.2", "10.9.0.2"], await RecordedAddressesAsync(identity));
    }

    [Fact]
    public async Task Without_the_setting_no_peer_is_trusted_not_even_loopback()
    {
        var identity = Identity(trusted: null);

        Assert.Equal(401, await SignInAsync(identity, "127.0.0.1", "203.0.113.10", "loop.0"));
        Assert.Equal(401, await SignInAsync(identity, "::1", "203.0.113.11", "loop.1"));

        Assert.Equal(["127.0.0.1", "::1"], await RecordedAddressesAsync(identity));
    }

    private IdentityHost Identity(string? trusted)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PopInfo:RateLimits:SignInAddress:PermitLimit"] = "2",
            ["PopInfo:RateLimits:SignInAddress:Window"] = "1.00:00:00",
        };
        if (trusted is not null)
        {
            settings["PopInfo:ForwardedHeaders:KnownProxies:0"] = trusted;
        }

        var identity = IdentityHost.OnSqlite(settings);
        hosts.Add(identity);
        return identity;
    }

    /// <summary>A wrong password at the provider's page from <paramref name="peer"/>, carrying <paramref name="forwardedFor"/>: the answer's status.</summary>
    private static async Task<int> SignInAsync(IdentityHost identity, string peer, string forwardedFor, string userName)
    {
        using var browser = identity.Server.ClientFrom(peer, new Uri(IdentityHost.Issuer));
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var page = await browser.GetStringAsync("/account/sign-in");
        var antiforgery = AntiforgeryField().Match(page);
        using var response = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
            ["returnUrl"] = "/", ["userName"] = userName, ["password"] = "not-the-password",
        }));
        return (int)response.StatusCode;
    }

    /// <summary>The addresses the audit recorded for the refused sign-ins, in order.</summary>
    private static async Task<IReadOnlyList<string?>> RecordedAddressesAsync(IdentityHost identity)
    {
        var audit = await identity.Services.GetRequiredService<AuditLog>().ReadAsync(0, 100, CancellationToken.None);
        return [.. audit.Where(r => r.Action == "sign-in").OrderBy(r => r.Id).Select(r => r.Remote_Address)];
    }

    [GeneratedRegex("name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
