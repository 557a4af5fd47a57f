using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Monitoring.Dashboard;

/// <summary>
/// The operators' and auditors' dashboard at <c>/monitor</c> as an application people sign in to at the identity provider
/// (ServiceDefaults' <see cref="PeopleSignInRegistration"/>, as the planners' dashboard and the access report): client
/// <c>popinfo-monitor</c>, settings <c>PopInfo:Monitoring:SignIn</c>, cookie <c>popinfo.monitor</c>, only the roles
/// <c>operator</c> and <c>auditor</c> (else <c>role.monitor</c>), city-wide (a region on the account: <c>region.none</c>).
/// The session carries <c>sub</c> and <c>client_id</c> as a person's token through the page's client would, so the
/// operators' trail and the audit name the person.
/// </summary>
public static class MonitorAuthentication
{
    public const string Scheme = "popinfo-monitor";
    public const string ProviderScheme = "popinfo-monitor-provider";
    public const string Policy = "monitor";
    public const string SignInPath = "/monitor/sign-in";
    public const string SignOutPath = "/monitor/sign-out";
    public const string Section = "PopInfo:Monitoring:SignIn";
    public const string DefaultClientId = "popinfo-monitor";
    public const string CallbackPath = "/monitor/signin-oidc";
    public const string SignedOutCallbackPath = "/monitor/signout-callback-oidc";

    /// <summary>The rule a sign-in of another role than operator or auditor is refused under.</summary>
    public const string RoleRule = "role.monitor";

    public static readonly PeopleSignInApplication Application = new()
    {
        ServiceName = MonitoringModule.Name,
        DisplayName = "monitoring dashboard",
        Scheme = Scheme,
        ProviderScheme = ProviderScheme,
        CookieName = "popinfo.monitor",
        SettingsSection = Section,
        DefaultClientId = DefaultClientId,
        PagePath = MonitorPage.Path,
        SignInPath = SignInPath,
        CallbackPath = CallbackPath,
        SignedOutCallbackPath = SignedOutCallbackPath,
        RecheckSetting = "PopInfo:Monitoring:SessionRecheck",
        Policy = Policy,
        Roles = [PlatformRoles.Operator, PlatformRoles.Auditor],
        RoleRule = RoleRule,
        RegionRule = PeopleSignInApplication.CityWide,
        ExtraClaims = PeopleSignInApplication.AsClientToken(Scheme, DefaultClientId),
    };

    public static IHostApplicationBuilder AddMonitorAuthentication(this IHostApplicationBuilder builder) =>
        builder.AddPeopleSignIn<MonitorSignInEvents>(Application);

    /// <summary>The page's sign-in settings as read at start.</summary>
    public static PeopleSignInOptions Options(IServiceProvider services) => services.GetRequiredKeyedService<PeopleSignInOptions>(Scheme);

    /// <summary>
    /// Either a person's token of role <c>operator</c> (as before the page) or the page's session of an operator (same origin,
    /// the cookie SameSite=Strict). Refusals answer as a token's do: 401 <c>token.required</c>, 403 <c>token.role</c>.
    /// </summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        Application.RequireTokenOrSession(builder,
            new PlatformAuthentication.RequiredAccess("role", PlatformRoles.Operator + " (a token, or the monitoring page's session)"),
            user => Has(user, PlatformRoles.Operator)).RequirePageHeaderForSessionChanges();

    /// <summary>Either a person's token of role <c>auditor</c> or the page's session of an auditor (operators are not auditors).</summary>
    public static TBuilder RequireMonitorAuditor<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        Application.RequireTokenOrSession(builder,
            new PlatformAuthentication.RequiredAccess("role", PlatformRoles.Auditor + " (a token, or the monitoring page's session)"),
            user => Has(user, PlatformRoles.Auditor)).RequirePageHeaderForSessionChanges();

    /// <summary>The header the page's own changing calls carry (<c>X-Requested-With: popinfo-monitor</c>).</summary>
    public const string PageHeader = "X-Requested-With";

    public const string PageHeaderValue = "popinfo-monitor";

    /// <summary>
    /// A change (POST, PUT) made with the page's session must carry <see cref="PageHeader"/>: the cookie is SameSite=Strict,
    /// but the platform's other ports on the same host are the same site, and a plain form posted from a page there would
    /// carry it; a custom header cannot be sent from another origin without the browser asking first (CORS), which this
    /// service never allows. A token needs no such header.
    /// </summary>
    private static TBuilder RequirePageHeaderForSessionChanges<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAssertion(context =>
            context.Resource is not HttpContext http || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || context.User.Claims.Any(c => c.Type == PlatformClaims.Role)
            || string.Equals(http.Request.Headers[PageHeader], PageHeaderValue, StringComparison.Ordinal)));

    /// <summary>True for a person's token of <paramref name="role"/>, or the page's session of a person of that role.</summary>
    public static bool Has(ClaimsPrincipal user, string role) =>
        user.Claims.Any(c => c.Type == PlatformClaims.Role && c.Value == role) || Application.HasSession(user, role);

    /// <summary>The person's role: the token's, else the session's.</summary>
    public static string? RoleOf(ClaimsPrincipal user) => TokenCaller.From(user).Role ?? user.FindFirstValue(ClaimTypes.Role);
}
