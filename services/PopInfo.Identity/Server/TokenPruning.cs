using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace PopInfo.Identity.Server;

/// <summary>The token store's clean-up settings (<c>PopInfo:Identity</c>).</summary>
public sealed class TokenPruningOptions
{
    /// <summary>
    /// Rows of tokens and authorizations younger than this stay, whatever their state. At least a refresh token's life
    /// (8 hours) and a margin: a redeemed refresh token's row is how OpenIddict sees it presented again (and then
    /// revokes what was issued from it).
    /// </summary>
    public TimeSpan TokenPruneAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The rule <see cref="TokenPruneAfter"/> keeps (a message naming the setting, or null).</summary>
    public static string? Problem(TimeSpan pruneAfter) =>
        pruneAfter < MinimumPruneAfter || pruneAfter > TimeSpan.FromDays(90)
            ? $"PopInfo:Identity:TokenPruneAfter is {MinimumPruneAfter} (a refresh token's life and a margin) to 90 days."
            : null;

    public static readonly TimeSpan MinimumPruneAfter = IdentityModule.RefreshTokenLifetime + TimeSpan.FromHours(1);
}

/// <summary>
/// OpenIddict stores a row per token it issues — a service's access token every 40 seconds or so, each person's codes
/// and refresh tokens — and never removes them itself. Every <see cref="Interval"/> this job asks OpenIddict's managers
/// to prune: <c>IOpenIddictTokenManager.PruneAsync(threshold)</c> removes the tokens created before the threshold that
/// have expired, are no longer valid (redeemed, revoked, rejected) or whose authorization is no longer valid;
/// <c>IOpenIddictAuthorizationManager.PruneAsync</c> the authorizations created before it that are no longer valid,
/// or ad hoc with no valid token left. Instances take turns under a lock all share (each call deletes at most a
/// bounded batch, and deleting what another already deleted is harmless).
/// </summary>
public sealed class TokenPruning(
    IServiceScopeFactory scopes, [FromKeyedServices(IdentityModule.Name)] PopInfo.ServiceDefaults.Data.ServiceDatabase database,
    TimeProvider clock, IOptions<TokenPruningOptions> options, ILogger<TokenPruning> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);

    /// <summary>One pass: the number of token rows and authorization rows removed.</summary>
    public async Task<(long Tokens, long Authorizations)> PruneOnceAsync(CancellationToken ct)
    {
        long tokens = 0, authorizations = 0;
        await database.Dialect.RunExclusiveAsync("popinfo.identity.token-pruning", async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var threshold = clock.GetUtcNow() - options.Value.TokenPruneAfter;
            tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct);
            authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct);
        }, ct);
        if (tokens + authorizations > 0)
        {
            logger.LogInformation("Pruned {Tokens} token rows and {Authorizations} authorization rows", tokens, authorizations);
        }

        return (tokens, authorizations);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pruning the token store failed; the next pass tries again");
            }
        }
    }
}
