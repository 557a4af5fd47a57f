using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Analytics.Dashboard;

/// <summary>
/// The planners' dashboard as an application people sign in to at the identity provider (ServiceDefaults'
/// <see cref="PeopleSignInRegistration"/>, as the collection desk): client <c>popinfo-dashboard</c>, settings
/// <c>PopInfo:Analytics:SignIn</c>, cookie <c>popinfo.dashboard</c>, only the role <c>planner</c> (else <c>role.dashboard</c>),
/// which acts city-wide (a region on the account: <c>region.none</c>). The session carries <c>sub</c> and
/// <c>client_id</c> as a planner's token through the dashboard's client would, so the query log names the caller
/// <c>popinfo-dashboard/{user}</c>.
/// </summary>
public static class DashboardAuthentication
{
    public const string Scheme = "popinfo-dashboard";
    public const string ProviderScheme = "popinfo-dashboard-provider";
    public const string Policy = "dashboard";
    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";
    public const string Section = "PopInfo:Analytics:SignIn";
    public const string DefaultClientId = "popinfo-dashboard";
    public const string CallbackPath = "/dashboard/signin-oidc";
    public const string SignedOutCallbackPath = "/dashboard/signout-callback-oidc";

    /// <summary>The rule a sign-in of another role than planner is refused under.</summary>
    public const string RoleRule = "role.dashboard";

    public static readonly PeopleSignInApplication Application = new()
    {
        ServiceName = AnalyticsModule.Name,
        DisplayName = "dashboard",
        Scheme = Scheme,
        ProviderScheme = ProviderScheme,
        CookieName = "popinfo.dashboard",
        SettingsSection = Section,
        DefaultClientId = DefaultClientId,
        PagePath = DashboardPage.Path,
        SignInPath = SignInPath,
        CallbackPath = CallbackPath,
        SignedOutCallbackPath = SignedOutCallbackPath,
        RecheckSetting = "PopInfo:Analytics:SessionRecheck",
        Policy = Policy,
        Roles = [PlatformRoles.Planner],
        RoleRule = RoleRule,
        // A planner acts city-wide: an account bound to a region is not a planner's (region.none).
        RegionRule = PeopleSignInApplication.CityWide,
        ExtraClaims = PeopleSignInApplication.AsClientToken(Scheme, DefaultClientId),
    };

    public static IHostApplicationBuilder AddDashboardAuthentication(this IHostApplicationBuilder builder) =>
        builder.AddPeopleSignIn<DashboardSignInEvents>(Application);

    /// <summary>The dashboard's sign-in settings (issuer, client id and secret) as read at start.</summary>
    public static PeopleSignInOptions Options(IServiceProvider services) => services.GetRequiredKeyedService<PeopleSignInOptions>(Scheme);

    /// <summary>
    /// Either a token with <c>analytics.read</c> for the analytics service (programs, as before) or the dashboard's session of a
    /// planner (the page's own fetches: same origin, the cookie SameSite=Strict, GETs only). Refusals answer as a token's do:
    /// 401 <c>token.required</c>, 403 <c>token.scope</c>.
    /// </summary>
    public static TBuilder RequireAnalyticsReader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        Application.RequireTokenOrSession(builder,
            new PlatformAuthentication.RequiredAccess("scope", PlatformScopes.AnalyticsRead + " (or a planner's dashboard session)"),
            IsReader);

    /// <summary>The projection's status: a reader (above), or the monitoring service's client (<c>analytics.monitor</c>, positions only).</summary>
    public static TBuilder RequireAnalyticsReaderOrMonitor<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        Application.RequireTokenOrSession(builder,
            new PlatformAuthentication.RequiredAccess("scope", $"{PlatformScopes.AnalyticsRead} or {PlatformScopes.AnalyticsMonitor} (or a planner's dashboard session)"),
            user => IsReader(user) || TokenCaller.HasScope(user, PlatformScopes.AnalyticsMonitor));

    /// <summary>True for a token carrying <c>analytics.read</c> for this service, or a planner's dashboard session.</summary>
    public static bool IsReader(ClaimsPrincipal user) => TokenCaller.HasScope(user, PlatformScopes.AnalyticsRead) || Application.HasSession(user);
}
