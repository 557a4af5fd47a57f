using OpenIddict.Abstractions;
using Microsoft.Extensions.Options;
using PopInfo.Identity.Audit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PopInfo.Identity.Clients;

/// <summary>
/// The platform's own services as OAuth clients (client credentials). Their scopes are fixed here — least
/// privilege, not a setting; their secrets come from the settings both sides read
/// (<c>PopInfo:Auth:Clients:{service}:Secret</c>) and are stored only as OpenIddict's hash. A changed secret in
/// the settings replaces the stored one at the next start; <c>PreviousSecret</c> beside it is accepted too, while it
/// is there (a rotation's overlap: docs/security.md, "Client secrets").
/// </summary>
public sealed class ServiceClients(
    IServiceScopeFactory scopes, ClientStore clients, AuditLog audit, IOptions<AuthOptions> auth, ILogger<ServiceClients> logger,
    [FromKeyedServices(IdentityModule.Name)] ServiceDatabase database) : IHostedService
{
    /// <summary>What each platform service may ask for.</summary>
    public static IReadOnlyDictionary<string, string[]> ScopesOf { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        // Their writes to the register travel over the bus (the broker's validated user), not HTTP.
        // identity.import: the desk's own accounts move into the provider (DeskAccountsMove in the collection).
        ["collection"] = [PlatformScopes.RegistryRead, PlatformScopes.ExchangeStatus, PlatformScopes.IdentityImport],
        ["exchange"] = [PlatformScopes.RegistryRead],
        // registry.audit, exchange.audit: the person's access report, asked on an auditor's behalf (named in each request).
        ["sharing"] = [PlatformScopes.RegistryRead, PlatformScopes.RegistryAudit, PlatformScopes.ExchangeAudit],
        ["analytics"] = [PlatformScopes.RegistryRead],
        // The status endpoints of each service (*.monitor, positions and counts, no person), the data-quality counts per region
        // it shows as trends (never the list of persons), the daily facts of timeliness and assessment (collection.monitor,
        // exchange.monitor: counts, no person), and the auditors' audit search and chain verification (*.audit-search, asked
        // on an auditor's behalf, named in each request).
        ["monitoring"] = [PlatformScopes.RegistryQuality, PlatformScopes.RegistryMonitor, PlatformScopes.ExchangeMonitor, PlatformScopes.SharingMonitor,
            PlatformScopes.AnalyticsMonitor, PlatformScopes.CollectionMonitor, PlatformScopes.RegistryAuditSearch, PlatformScopes.CollectionAuditSearch,
            PlatformScopes.ExchangeAuditSearch, PlatformScopes.SharingAuditSearch],
    };

    // Instances starting at once take turns: each finds the clients the one before it made.
    public Task StartAsync(CancellationToken cancellationToken) =>
        database.Dialect.RunExclusiveAsync("popinfo.identity.service-clients", () => ConfigureAsync(cancellationToken), cancellationToken);

    private async Task ConfigureAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<PlatformApplicationManager>();
        foreach (var (service, options) in auth.Value.Clients)
        {
            if (string.IsNullOrEmpty(options.Secret))
            {
                continue;
            }

            if (!ScopesOf.TryGetValue(service, out var granted))
            {
                throw new InvalidOperationException($"PopInfo:Auth:Clients:{service}: no platform service is called '{service}'.");
            }

            var clientId = options.ClientId ?? "popinfo-" + service;
            var descriptor = Descriptor(clientId, $"PopInfo {service}", options.Secret, granted);
            var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
            if (application is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(application, descriptor, cancellationToken);
            }

            await clients.UpsertAsync(clientId, ClientStore.ServiceKind, descriptor.DisplayName!, string.Join(' ', granted), cancellationToken);
            var previous = string.IsNullOrEmpty(options.PreviousSecret) ? null : await applications.HashSecretAsync(options.PreviousSecret, cancellationToken);
            await clients.SetPreviousSecretAsync(clientId, previous, expiresAt: null, cancellationToken);
            await audit.WriteAsync(new("settings", null, "client.configure", clientId, "ok",
                "platform service client from settings" + (previous is null ? "" : ", previous secret accepted while set")), cancellationToken);
            logger.LogInformation("Platform service client {ClientId} configured with scopes {Scopes}", clientId, string.Join(' ', granted));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A confidential client that may use client credentials at the token endpoint for exactly these scopes.</summary>
    public static OpenIddictApplicationDescriptor Descriptor(string clientId, string displayName, string secret, IEnumerable<string> scopes)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        return descriptor;
    }
}
