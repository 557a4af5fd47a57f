using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using PopInfo.Identity.Server;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>The token store does not grow for ever: rows of expired tokens go once older than the threshold; recent ones stay.</summary>
public sealed class TokenPruningTests
{
    [Fact]
    public async Task Expired_token_rows_older_than_the_threshold_are_removed()
    {
        var clock = new ShiftedClock();
        await using var identity = IdentityHost.OnSqlite(new Dictionary<string, string?> { ["PopInfo:Identity:AccessTokenLifetime"] = "00:00:01" });
        identity.TestServices = services => services.AddSingleton<TimeProvider>(clock);
        _ = identity.Server;

        async Task<long> CountAsync()
        {
            await using var scope = identity.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().CountAsync(CancellationToken.None);
        }

        async Task TokenAsync()
        {
            var (status, body) = await identity.ClientCredentialsAsync("popinfo-exchange", TestIssuer.ServiceSecret, "registry.read");
            Assert.True(status == 200, body.ToJsonString());
        }

        for (var i = 0; i < 3; i++)
        {
            await TokenAsync();
        }

        Assert.Equal(3, await CountAsync());
        var pruning = identity.Services.GetRequiredService<TokenPruning>();

        // Younger than the threshold (a day): they stay, expired or not.
        Assert.Equal(0, (await pruning.PruneOnceAsync(CancellationToken.None)).Tokens);
        Assert.Equal(3, await CountAsync());

        // A day and more later, a new token (valid) and the three expired ones: the expired ones go.
        clock.Offset = TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1);
        await TokenAsync();
        long removed = 0;
        await Eventually.TrueAsync(async () => (removed += (await pruning.PruneOnceAsync(CancellationToken.None)).Tokens) == 3,
            TimeSpan.FromSeconds(20), "the three expired token rows pruned");
        Assert.Equal(1, await CountAsync());
    }
}
