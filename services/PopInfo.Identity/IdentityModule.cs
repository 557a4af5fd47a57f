using Microsoft.Extensions.Options;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using PopInfo.Domain.Regions;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Apis;
using PopInfo.Identity.Audit;
using PopInfo.Identity.Clients;
using PopInfo.Identity.Data;
using PopInfo.Identity.Pages;
using PopInfo.Identity.Server;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PopInfo.Identity;

/// <summary>
/// The platform's identity provider: an OpenID Connect / OAuth 2.0 server (OpenIddict) for the platform's
/// services and the departments (client credentials), with the platform's clients and the audit of what
/// its administrators do. Services trust any issuer named by PopInfo:Auth:Authority; this is the default one.
/// </summary>
public static class IdentityModule
{
    public const string Name = "identity";
    public const int Port = 5107;

    /// <summary>A person's refresh token lasts a working day; each refresh re-checks the account (TokenEndpoint).</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(8);

    public static readonly ServiceInfo Info = new(Name, "identity provider",
        "One identity for every person and system: OpenID Connect discovery, tokens for services and departments, accounts and clients.", Port);

    public static IHostApplicationBuilder AddIdentityProvider(this IHostApplicationBuilder builder)
    {
        // Its audit trail may only be appended to and read by the service itself (docs/database-roles.md).
        // The key ring is insert-only as well: keys are only ever added.
        builder.AddServiceDatabase(Name, typeof(IdentityModule).Assembly, auditTables: ["audit_log", DataProtectionKeyStore.Table]);
        builder.AddSecretProtection(Name);
        // The sign-in session's cookie and the pages' anti-forgery tokens on the provider's key ring in its database.
        builder.AddSessionKeyRing(Name);
        builder.AddOpenApiDocument(Name, "PopInfo identity — the platform's identity provider");
        builder.AddPlatformAuthentication(Name);
        // Sign-in attempts per account name and per address, counted in the provider's database (all instances).
        builder.AddRateLimits(Name, RateLimitPolicy.SignInAccount, RateLimitPolicy.SignInAddress);
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.AccessTokenLifetime <= TimeSpan.FromMinutes(1),
                "PopInfo:Identity:AccessTokenLifetime is more than 0 and at most one minute (revocation within 60 seconds rests on it).")
            .ValidateOnStart();

        builder.Services.AddDbContext<IdentityDbContext>((sp, options) =>
            IdentityDbContext.Configure(options, sp.GetRequiredKeyedService<ServiceDatabase>(Name)));
        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>();
                // Accepts a client's previous secret while its rotation overlaps.
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, PlatformApplicationManager>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenEndpoint.Path.TrimStart('/'));
                server.SetAuthorizationEndpointUris(AuthorizeEndpoint.Path.TrimStart('/'));
                server.SetEndSessionEndpointUris(AuthorizeEndpoint.EndSessionPath.TrimStart('/'));
                server.AllowClientCredentialsFlow();
                // People: authorization code with PKCE (no implicit flow, no passwords to applications), refresh tokens.
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.AllowRefreshTokenFlow();
                server.RegisterScopes([Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, .. PlatformScopes.AudienceOf.Keys]);
                // Plain signed JWTs (RFC 9068), so that any service — or a city's own gateway — can validate them
                // with the published keys alone.
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough().EnableEndSessionEndpointPassthrough();
            });
        // The same scoped instance OpenIddict uses, by its own type (for the secrets' hashes).
        builder.Services.AddScoped(sp => (PlatformApplicationManager)sp.GetRequiredService<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>>());
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddOptions<SigningKeyOptions>().BindConfiguration(IdentityOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SigningKeyOptions>, SigningKeyOptionsValidation>();
        // The keys rotate: OpenIddict's options are built from the ring, and built again when it changes.
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SigningKeyRing>());
        builder.Services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SigningKeyRing>());
        builder.Services.AddHostedService<SigningKeyRotation>();
        builder.Services.AddOptions<TokenPruningOptions>().BindConfiguration(IdentityOptions.Section)
            .Validate(o => TokenPruningOptions.Problem(o.TokenPruneAfter) is null, TokenPruningOptions.Problem(TimeSpan.Zero)!)
            .ValidateOnStart();
        builder.Services.AddSingleton<TokenPruning>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TokenPruning>());
        builder.Services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<IdentityOptions>>((server, identity) =>
        {
            server.Issuer = identity.Value.Issuer;
            server.AccessTokenLifetime = identity.Value.AccessTokenLifetime;
            server.RefreshTokenLifetime = RefreshTokenLifetime;
        });
        builder.Services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<IOptions<IdentityOptions>>((aspNet, identity) =>
            // Plain HTTP only for a loopback issuer (embedded and local modes); anything else needs HTTPS.
            aspNet.DisableTransportSecurityRequirement = identity.Value.Issuer.IsLoopback);

        builder.Services.AddSingleton<AuditLogStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ClientStore>();
        builder.Services.AddSingleton<RelaySignal<StatusRelay>>();
        builder.Services.AddHostedService<StatusRelay>();
        builder.Services.AddScoped<DepartmentClients>();
        builder.Services.AddHostedService<ServiceClients>();
        builder.Services.AddHostedService<PeopleApplications>();
        builder.Services.AddSingleton(RegionCatalogue.Wuxi);
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<DemoAccounts>();
        builder.Services.AddHostedService<FirstAdmin>();
        builder.AddPeopleSession();
        builder.AddAdminAccess();
        return builder;
    }

    public static IEndpointRouteBuilder MapIdentityProvider(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        // The OpenID Connect endpoints: OpenIddict reads the request first; each handler answers with a sign-in, a challenge or a refusal for it to write.
        var connect = app.MapGroup("").WithTags("OpenID Connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapPost(TokenEndpoint.Path, TokenEndpoint.ExchangeAsync).WithName("IdentityToken")
            .WithSummary("OAuth 2.0 token endpoint (client credentials). Discovery: /.well-known/openid-configuration.");
        connect.MapMethods(AuthorizeEndpoint.Path, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.AuthorizeAsync).WithName("IdentityAuthorize");
        // As a Delegate: a method taking only HttpContext and returning a Task would otherwise bind as a RequestDelegate, its result unwritten.
        connect.MapMethods(AuthorizeEndpoint.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeEndpoint.EndSessionAsync).WithName("IdentityEndSession");
        app.MapSignInPage();
        app.MapAdminPage();
        app.MapClientsApi();
        app.MapSigningKeysApi();
        app.MapAccountsApi();
        return app;
    }
}

/// <summary>Names the identity provider's assembly for test hosts.</summary>
public sealed class IdentityEntryPoint;
