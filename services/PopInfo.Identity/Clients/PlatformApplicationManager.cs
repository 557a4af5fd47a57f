using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace PopInfo.Identity.Clients;

/// <summary>
/// OpenIddict's application manager, which keeps one hashed secret per application, taught a client's previous
/// secret while its rotation overlaps: OpenIddict's <c>ValidateClientSecret</c> handler (every endpoint that
/// authenticates clients: token, introspection, revocation) asks <see cref="ValidateClientSecretAsync(OpenIddictEntityFrameworkCoreApplication, string, CancellationToken)"/>;
/// when the current secret does not match, the previous one's hash (in <c>clients</c>, <see cref="ClientStore"/>) is
/// checked by OpenIddict's own comparison, until it expires. Registered with <c>ReplaceApplicationManager</c>.
/// </summary>
public sealed class PlatformApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    ClientStore clients,
    TimeProvider clock)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<bool> ValidateClientSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken = default)
    {
        if (await base.ValidateClientSecretAsync(application, secret, cancellationToken))
        {
            return true;
        }

        var clientId = await GetClientIdAsync(application, cancellationToken);
        var client = clientId is null ? null : await clients.FindAsync(clientId, cancellationToken);
        if (client is null || !client.AcceptsPreviousSecret(clock.GetUtcNow()) || await HasClientTypeAsync(application, OpenIddictConstants.ClientTypes.Public, cancellationToken))
        {
            return false;
        }

        return await ValidateClientSecretAsync(secret, client.Previous_Secret_Hash!, cancellationToken);
    }

    /// <summary>The stored hash of the application's current secret (to keep as the previous one when it is replaced).</summary>
    public ValueTask<string?> CurrentSecretHashAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken ct) =>
        Store.GetClientSecretAsync(application, ct);

    /// <summary>OpenIddict's hash of a secret, as it stores the current one.</summary>
    public ValueTask<string> HashSecretAsync(string secret, CancellationToken ct) => ObfuscateClientSecretAsync(secret, ct);
}
