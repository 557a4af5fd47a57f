using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>
/// People sign in at the identity provider (authorization code with PKCE) and the application keeps its own cookie
/// for its page and API: HttpOnly, SameSite=Strict (no other site can make a browser send it), 8 hours sliding. The
/// cookie also carries the provider's refresh token, with which the session is re-checked (<see cref="PeopleSessionCheck"/>).
/// An API call without a session gets a 401 problem, not a redirect. One registration per application; several live
/// in one process (the embedded host), each under its own schemes and paths.
/// </summary>
public static class PeopleSignInRegistration
{
    /// <summary>The sign-in's item carrying the user name to suggest to the provider (OpenID Connect <c>login_hint</c>).</summary>
    public const string LoginHint = "login_hint";

    /// <summary>The key under which a refused sign-in's exception carries its rule.</summary>
    public const string FailureRule = "popinfo.rule";

    /// <summary>Adds the application's cookie and OpenID Connect client; <typeparamref name="TEvents"/> records its sessions.</summary>
    public static IHostApplicationBuilder AddPeopleSignIn<TEvents>(this IHostApplicationBuilder builder, PeopleSignInApplication application)
        where TEvents : class, IPeopleSignInEvents
    {
        var options = builder.Configuration.GetSection(application.SettingsSection).Get<PeopleSignInOptions>() ?? new PeopleSignInOptions();
        // The application's own issuer, else the platform's (PopInfo:Auth:Authority, whose default is the platform's provider).
        var authority = options.Authority?.ToString() ?? builder.Configuration["PopInfo:Auth:Authority"] ?? new AuthOptions().Authority.ToString();
        options.Authority ??= new Uri(authority);
        options.ClientId ??= application.DefaultClientId;
        var key = application.Scheme;
        builder.Services.AddKeyedSingleton(key, application);
        builder.Services.AddKeyedSingleton(key, options);
        builder.Services.AddKeyedSingleton<IPeopleSignInEvents, TEvents>(key);
        builder.Services.AddKeyedSingleton(key, (sp, _) => ActivatorUtilities.CreateInstance<PeopleSessionCheck>(sp, application, options,
            sp.GetRequiredKeyedService<IPeopleSignInEvents>(key)));

        var authentication = application.IsDefaultScheme ? builder.Services.AddAuthentication(application.Scheme) : builder.Services.AddAuthentication();
        authentication.AddCookie(application.Scheme, cookie =>
        {
            cookie.Cookie.Name = application.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredKeyedService<PeopleSessionCheck>(key).ValidateAsync(context);
            // An endpoint that also takes a bearer token (the dashboard's API) may have answered already.
            cookie.Events.OnRedirectToLogin = context => context.Response.HasStarted ? Task.CompletedTask : WriteProblemAsync(context.HttpContext, new ProblemDetails
            {
                Type = ProblemTypes.Unauthorized,
                Title = "Sign in first.",
                Status = StatusCodes.Status401Unauthorized,
                Detail = $"Open {application.SignInPath} in a browser: people sign in at the identity provider.",
                Extensions = { ["rule"] = "session.required", ["signIn"] = application.SignInPath },
            });
            cookie.Events.OnRedirectToAccessDenied = context => context.Response.HasStarted ? Task.CompletedTask : WriteProblemAsync(context.HttpContext, new ProblemDetails
            {
                Type = ProblemTypes.Forbidden,
                Title = "Your role may not do this.",
                Status = StatusCodes.Status403Forbidden,
                Extensions = { ["rule"] = "role.allowed" },
            });
        }).AddOpenIdConnect(application.ProviderScheme, oidc =>
        {
            oidc.SignInScheme = application.Scheme;
            oidc.Authority = authority;
            oidc.RequireHttpsMetadata = !new Uri(authority).IsLoopback;
            oidc.CallbackPath = application.CallbackPath;
            oidc.SignedOutCallbackPath = application.SignedOutCallbackPath;
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
                // provider's end-session hint). The application never calls an API as the person, so no access token.
                context.Properties!.StoreTokens([.. context.Properties!.GetTokens().Where(t => t.Name is "refresh_token" or "id_token")]);
                return Task.CompletedTask;
            };
            oidc.Events.OnTokenValidated = context => context.HttpContext.RequestServices.GetRequiredKeyedService<PeopleSessionCheck>(key).SignedInAsync(context);
            oidc.Events.OnRemoteFailure = context =>
            {
                // A refused role or region, a cancelled sign-in, an expired correlation: back to the page, which says so.
                context.Response.Redirect(application.PagePath + "?signIn=" + Uri.EscapeDataString(context.Failure?.Data[FailureRule] as string ?? "failed"));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(application.Policy, p => p.AddAuthenticationSchemes(application.Scheme).RequireAuthenticatedUser());
        return builder;
    }

    private static Task WriteProblemAsync(HttpContext http, ProblemDetails problem) => problem.ToResult().ExecuteAsync(http);
}
