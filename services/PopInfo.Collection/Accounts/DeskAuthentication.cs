using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Collection.Accounts;

/// <summary>
/// People sign in at the identity provider (authorization code with PKCE) and the desk keeps its own cookie for
/// the page and the API: HttpOnly, SameSite=Strict (no other site can make a browser send it), 8 hours sliding.
/// The cookie also carries the provider's refresh token, with which the session is re-checked (DeskSessionCheck).
/// An API call without a session gets a 401 problem, not a redirect.
/// </summary>
public static class DeskAuthentication
{
    public const string Scheme = "popinfo-desk";
    public const string ProviderScheme = "popinfo-desk-provider";
    public const string DeskPolicy = "desk";
    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";
    private const string DeskPagePath = "/desk";

    public static IHostApplicationBuilder AddDeskAuthentication(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DeskSignInOptions.Section).Get<DeskSignInOptions>() ?? new DeskSignInOptions();
        var authority = options.Authority?.ToString() ?? builder.Configuration["PopInfo:Auth:Authority"]
            ?? throw new InvalidOperationException($"The desk signs people in at an identity provider: set PopInfo:Auth:Authority or {DeskSignInOptions.Section}:Authority.");
        options.Authority ??= new Uri(authority);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<DeskSessionCheck>();

        builder.Services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "popinfo.desk";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<DeskSessionCheck>().ValidateAsync(context);
            cookie.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, new ProblemDetails
            {
                Type = ProblemTypes.Unauthorized,
                Title = "Sign in first.",
                Status = StatusCodes.Status401Unauthorized,
                Detail = $"Open {SignInPath} in a browser: people sign in at the identity provider.",
                Extensions = { ["rule"] = "session.required", ["signIn"] = SignInPath },
            });
            cookie.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, new ProblemDetails
            {
                Type = ProblemTypes.Forbidden,
                Title = "Your role may not do this.",
                Status = StatusCodes.Status403Forbidden,
                Extensions = { ["rule"] = "role.allowed" },
            });
        }).AddOpenIdConnect(ProviderScheme, oidc =>
        {
            oidc.SignInScheme = Scheme;
            oidc.Authority = authority;
            oidc.RequireHttpsMetadata = !new Uri(authority).IsLoopback;
            // The provider's key set is read again hourly, as every service's (PlatformAuthentication): keys are published
            // hours ahead of use (PopInfo:Identity:SigningKeyPublishAhead), so sign-in never meets an unknown one.
            oidc.AutomaticRefreshInterval = TimeSpan.FromHours(1);
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = string.IsNullOrEmpty(options.ClientSecret) ? null : options.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            // Back by a plain redirect (not a cross-site form post), so that the correlation cookies can be SameSite=Lax.
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.Scope.Clear();
            foreach (var scope in (string[])["openid", "profile", "roles", "offline_access"])
            {
                oidc.Scope.Add(scope);
            }

            oidc.SaveTokens = true;
            oidc.MapInboundClaims = false;
            oidc.GetClaimsFromUserInfoEndpoint = false;
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.TokenValidationParameters.NameClaimType = PlatformClaims.Subject;
            oidc.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
            oidc.Events.OnRedirectToIdentityProvider = context =>
            {
                if (context.Properties.Items.TryGetValue(LoginHint, out var hint) && !string.IsNullOrEmpty(hint))
                {
                    context.ProtocolMessage.LoginHint = hint;
                }

                return Task.CompletedTask;
            };
            oidc.Events.OnTicketReceived = context =>
            {
                // The cookie keeps only what the session needs: the refresh token (re-checks) and the ID token (the
                // provider's end-session hint). The desk never calls an API as the person, so no access token.
                context.Properties!.StoreTokens([.. context.Properties!.GetTokens().Where(t => t.Name is "refresh_token" or "id_token")]);
                return Task.CompletedTask;
            };
            oidc.Events.OnTokenValidated = context => context.HttpContext.RequestServices.GetRequiredService<DeskSessionCheck>().SignedInAsync(context);
            oidc.Events.OnRemoteFailure = context =>
            {
                // A refused role or region, a cancelled sign-in, an expired correlation: back to the page, which says so.
                context.Response.Redirect(DeskPagePath + "?signIn=" + Uri.EscapeDataString(context.Failure?.Data[FailureRule] as string ?? "failed"));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DeskPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>The sign-in's item carrying the user name to suggest to the provider (OpenID Connect <c>login_hint</c>).</summary>
    public const string LoginHint = "login_hint";

    /// <summary>The key under which a refused sign-in's exception carries its rule.</summary>
    public const string FailureRule = "popinfo.rule";

    private static Task WriteProblemAsync(HttpContext http, ProblemDetails problem) => problem.ToResult().ExecuteAsync(http);
}
