using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using PopInfo.Identity.Audit;
using PopInfo.Identity.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PopInfo.Identity.Clients;

/// <summary>
/// The applications people sign in to (the desk, the administrators' page, later the analysts' and operators'),
/// from the settings: authorization code with PKCE required, refresh tokens, only their registered addresses.
/// </summary>
public sealed class PeopleApplications(IServiceScopeFactory scopes, ClientStore clients, AuditLog audit, IOptions<IdentityOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var (name, settings) in options.Value.Applications)
        {
            var clientId = settings.ClientId ?? "popinfo-" + name;
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = string.IsNullOrEmpty(settings.Secret) ? null : settings.Secret,
                ClientType = string.IsNullOrEmpty(settings.Secret) ? ClientTypes.Public : ClientTypes.Confidential,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = $"PopInfo {name}",
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile, Permissions.Scopes.Roles, Permissions.Prefixes.Scope + Scopes.OfflineAccess,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            foreach (var platformScope in PeopleClaims.ScopesOf.Values.SelectMany(s => s).Distinct())
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + platformScope);
            }

            settings.RedirectUris.ForEach(u => descriptor.RedirectUris.Add(u));
            settings.PostLogoutRedirectUris.ForEach(u => descriptor.PostLogoutRedirectUris.Add(u));
            var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
            if (application is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(application, descriptor, cancellationToken);
            }

            await clients.UpsertAsync(clientId, "application", descriptor.DisplayName, "openid profile offline_access", cancellationToken);
            await audit.WriteAsync(new("settings", null, "client.configure", clientId, "ok", "application people sign in to, from settings"), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
