using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// Bearer tokens from the configured issuer (<see cref="AuthOptions.Authority"/>), validated against its
/// discovery document and keys: signature, issuer, audience (<c>popinfo-{service}</c>), lifetime with a
/// few seconds' skew. Endpoints then ask for a scope (<see cref="RequireScope{TBuilder}"/>) or a role.
/// Failures answer 401/403 as problem details naming the rule.
/// </summary>
public static class PlatformAuthentication
{
    public const string Scheme = "popinfo-token";

    /// <summary>Adds token validation once per process; each service adds its own audience (the embedded host has six).</summary>
    public static IHostApplicationBuilder AddPlatformAuthentication(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.Configure<TokenAudiences>(a => a.Names.Add(PlatformScopes.Audience(serviceName)));
        if (builder.Services.Any(s => s.ServiceType == typeof(Added)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Added>();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.Authority.IsAbsoluteUri && (o.Authority.Scheme == Uri.UriSchemeHttps || o.AllowsPlainHttp),
                "PopInfo:Auth:Authority must be an https URL (plain http only on loopback).")
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromSeconds(30), "PopInfo:Auth:ClockSkew is 0 to 30 seconds.")
            .ValidateOnStart();

        builder.Services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        builder.Services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<AuthOptions>, IOptions<TokenAudiences>>((jwt, auth, audiences) =>
        {
            var options = auth.Value;
            jwt.Authority = options.Authority.ToString();
            jwt.RequireHttpsMetadata = !options.AllowsPlainHttp;
            // Claims keep their JWT names (sub, role, scope): no mapping to long .NET claim types.
            jwt.MapInboundClaims = false;
            jwt.RefreshOnIssuerKeyNotFound = true;
            // The key set is read again every hour (12 by default), so a key the issuer publishes ahead of use (the
            // platform's provider: PopInfo:Identity:SigningKeyPublishAhead, at least 2 hours) is known before it signs.
            jwt.AutomaticRefreshInterval = TimeSpan.FromHours(1);
            jwt.TokenValidationParameters.ValidAudiences = audiences.Value.Names;
            jwt.TokenValidationParameters.ClockSkew = options.ClockSkew;
            jwt.TokenValidationParameters.NameClaimType = PlatformClaims.Subject;
            jwt.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
            jwt.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    // An endpoint that also takes another scheme (the exchange's legacy keys) may have answered already.
                    if (context.Response.HasStarted)
                    {
                        return;
                    }

                    var problem = new ProblemDetails
                    {
                        Type = ProblemTypes.Unauthorized,
                        Title = "A valid access token is required.",
                        Status = StatusCodes.Status401Unauthorized,
                        Detail = context.AuthenticateFailure is null
                            ? "Send 'Authorization: Bearer <access token>' from the platform's identity provider."
                            : "The access token was refused (expired, wrong issuer or audience, or a bad signature).",
                        Extensions = { ["rule"] = context.AuthenticateFailure is null ? "token.required" : "token.valid" },
                    };
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await problem.ToResult().ExecuteAsync(context.HttpContext);
                },
                OnForbidden = async context =>
                {
                    if (context.Response.HasStarted)
                    {
                        return;
                    }

                    var required = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RequiredAccess>();
                    await new ProblemDetails
                    {
                        Type = ProblemTypes.Forbidden,
                        Title = "Your token does not allow this.",
                        Status = StatusCodes.Status403Forbidden,
                        Detail = required is null ? null : $"This needs {required}.",
                        Extensions = { ["rule"] = required?.Rule ?? "token.allowed" },
                    }.ToResult().ExecuteAsync(context.HttpContext);
                },
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeHandler>();
        return builder;
    }

    /// <summary>Only a token carrying this scope passes.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredAccess("scope", scope)).RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));

    /// <summary>Only a token carrying one of these scopes passes.</summary>
    public static TBuilder RequireAnyScope<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredAccess("scope", string.Join(" or ", scopes))).RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scopes)));

    /// <summary>Only a person's token with one of these roles passes.</summary>
    public static TBuilder RequireTokenRole<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredAccess("role", string.Join(" or ", roles))).RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(roles));

    /// <summary>The audiences this process accepts, one per service it hosts.</summary>
    public sealed class TokenAudiences
    {
        public HashSet<string> Names { get; } = [];
    }

    private sealed class Added;

    /// <summary>What an endpoint asks for, named in the 403 answer.</summary>
    public sealed record RequiredAccess(string Kind, string Value)
    {
        public string Rule => Kind == "scope" ? "token.scope" : "token.role";

        public override string ToString() => $"the {Kind} {Value}";
    }

    private sealed record ScopeRequirement(params string[] Scopes) : IAuthorizationRequirement;

    private sealed class ScopeHandler : AuthorizationHandler<ScopeRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
        {
            if (requirement.Scopes.Any(scope => TokenCaller.HasScope(context.User, scope)))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
