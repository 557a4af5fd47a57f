using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Identity.Server;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>
/// The provider's keys rotate without downtime: a successor is published in the key set ahead of use and signs after
/// that; tokens signed by the previous key still validate at a service; a key leaves the key set once everything it
/// signed has expired. The provider's clock is shifted to jump days ahead (<see cref="ShiftedClock"/>).
/// </summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private readonly ShiftedClock clock = new();
    private IdentityHost identity = null!;

    public Task InitializeAsync()
    {
        identity = IdentityHost.OnSqlite();
        identity.TestServices = services => services.AddSingleton<TimeProvider>(clock);
        _ = identity.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await identity.DisposeAsync();

    private async Task<string> TokenAsync()
    {
        var (status, body) = await identity.ClientCredentialsAsync("popinfo-collection", TestIssuer.ServiceSecret, "registry.read");
        Assert.True(status == 200, body.ToJsonString());
        return (string)body["access_token"]!;
    }

    private static string KidOf(string token) => new JwtSecurityTokenHandler().ReadJwtToken(token).Header.Kid;

    private Task<IReadOnlyList<string>> PublishedKidsAsync() => identity.PublishedKeyIdsAsync();

    private Task<SigningKeyRing.Snapshot> RefreshAsync() => identity.Services.GetRequiredService<SigningKeyRing>().RefreshAsync(CancellationToken.None);

    [Fact]
    public async Task A_successor_is_published_ahead_of_use_then_signs_and_the_old_key_leaves_once_its_tokens_expired()
    {
        var first = KidOf(await TokenAsync());
        Assert.Equal([first], await PublishedKidsAsync());

        // Thirty days less the thirteen hours' publish-ahead: the successor is made and published, not used.
        clock.Offset = TimeSpan.FromDays(30) - TimeSpan.FromHours(13);
        await RefreshAsync();
        var published = await PublishedKidsAsync();
        Assert.Equal(2, published.Count);
        var second = published.Single(k => k != first);
        Assert.Equal(first, KidOf(await TokenAsync()));

        // Its lifetime over: the successor signs, the first key stays published for what it signed.
        clock.Offset = TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1);
        await RefreshAsync();
        Assert.Equal(second, KidOf(await TokenAsync()));
        Assert.Equal([second, first], await PublishedKidsAsync());

        // Every token the first key signed has expired (a refresh token's 8 hours and a margin): it leaves the key set.
        clock.Offset = TimeSpan.FromDays(30) + TimeSpan.FromHours(8) + TimeSpan.FromMinutes(6);
        await RefreshAsync();
        Assert.Equal([second], await PublishedKidsAsync());
        Assert.Equal(second, KidOf(await TokenAsync()));
    }

    [Fact]
    public async Task After_rotate_now_a_token_signed_before_still_validates_at_a_service_and_new_tokens_carry_the_new_key()
    {
        await using var registry = identity.RegistryTrustingThis();
        using var service = registry.CreateClient();
        async Task<int> ReadAsync(string token)
        {
            service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await service.GetJsonAsync("/api/v1/changes?after=0&limit=1")).Status;
        }

        var before = await TokenAsync();
        Assert.Equal(200, await ReadAsync(before));

        using var admin = identity.CreateAdminClient();
        Assert.Equal(400, (int)(await admin.PostAsJsonAsync("/api/v1/signing-keys/rotate", new { retirePrevious = true })).StatusCode);
        using (var rotated = await admin.PostAsJsonAsync("/api/v1/signing-keys/rotate", new { immediately = true, reason = "test" }))
        {
            Assert.Equal(200, (int)rotated.StatusCode);
        }

        var after = await TokenAsync();
        Assert.NotEqual(KidOf(before), KidOf(after));
        Assert.Equal([KidOf(after), KidOf(before)], await PublishedKidsAsync());

        // The service meets an unknown key id, reads the key set again, and takes the new token; the old one still passes.
        await Eventually.TrueAsync(async () => await ReadAsync(after) == 200, TimeSpan.FromSeconds(30), "the service accepting the new key");
        Assert.Equal(200, await ReadAsync(before));

        var keys = await admin.GetArrayAsync("/api/v1/signing-keys");
        Assert.Equal("active", (string)keys.Single(k => (string)k!["keyId"]! == KidOf(after))!["state"]!);
        Assert.Equal("accepted", (string)keys.Single(k => (string)k!["keyId"]! == KidOf(before))!["state"]!);

        clock.Offset = TimeSpan.FromHours(8) + TimeSpan.FromMinutes(6);
        await RefreshAsync();
        Assert.Equal([KidOf(after)], await PublishedKidsAsync());
        keys = await admin.GetArrayAsync("/api/v1/signing-keys");
        Assert.Equal("retired", (string)keys.Single(k => (string)k!["keyId"]! == KidOf(before))!["state"]!);

        var audit = await identity.Services.GetRequiredService<PopInfo.Identity.Audit.AuditLog>().ReadAsync(0, 100, CancellationToken.None);
        Assert.Equal(["refused", "ok"], audit.Where(r => r.Action == "signing-key.rotate").Select(r => r.Outcome));
    }
}
