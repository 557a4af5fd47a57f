using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Sharing.AccessReport;

/// <summary>
/// The access report's page as an application people sign in to at the identity provider (ServiceDefaults'
/// <see cref="PeopleSignInRegistration"/>, as the dashboard): client <c>popinfo-access-report</c>, settings
/// <c>PopInfo:Sharing:SignIn</c>, cookie <c>popinfo.access-report</c>, only the role <c>auditor</c> (else
/// <c>role.access-report</c>), city-wide (a region on the account: <c>region.none</c>). The session carries <c>sub</c> and
/// <c>client_id</c> as an auditor's token through the page's client would, so the audit names the client and the auditor.
/// </summary>
public static class AccessReportAuthentication
{
    public const string Scheme = "popinfo-access-report";
    public const string ProviderScheme = "popinfo-access-report-provider";
    public const string Policy = "access-report";
    public const string SignInPath = "/access-report/sign-in";
    public const string SignOutPath = "/access-report/sign-out";
    public const string Section = "PopInfo:Sharing:SignIn";
    public const string DefaultClientId = "popinfo-access-report";
    public const string CallbackPath = "/access-report/signin-oidc";
    public const string SignedOutCallbackPath = "/access-report/signout-callback-oidc";

    /// <summary>The rule a sign-in of another role than auditor is refused under.</summary>
    public const string RoleRule = "role.access-report";

    public static readonly PeopleSignInApplication Application = new()
    {
        ServiceName = SharingModule.Name,
        DisplayName = "access report",
        Scheme = Scheme,
        ProviderScheme = ProviderScheme,
        CookieName = "popinfo.access-report",
        SettingsSection = Section,
        DefaultClientId = DefaultClientId,
        PagePath = AccessReportPage.Path,
        SignInPath = SignInPath,
        CallbackPath = CallbackPath,
        SignedOutCallbackPath = SignedOutCallbackPath,
        RecheckSetting = "PopInfo:Sharing:SessionRecheck",
        Policy = Policy,
        Roles = [PlatformRoles.Auditor],
        RoleRule = RoleRule,
        RegionRule = PeopleSignInApplication.CityWide,
        ExtraClaims = PeopleSignInApplication.AsClientToken(Scheme, DefaultClientId),
    };

    public static IHostApplicationBuilder AddAccessReportAuthentication(this IHostApplicationBuilder builder) =>
        builder.AddPeopleSignIn<AccessReportSignInEvents>(Application);

    /// <summary>The page's sign-in settings as read at start.</summary>
    public static PeopleSignInOptions Options(IServiceProvider services) => services.GetRequiredKeyedService<PeopleSignInOptions>(Scheme);

    /// <summary>
    /// Either an auditor's token for the sharing service (role <c>auditor</c>, scope <c>sharing.audit</c>) or the page's
    /// session of an auditor (same origin, the cookie SameSite=Strict). Refusals answer as a token's do: 401 <c>token.required</c>,
    /// 403 <c>token.role</c>.
    /// </summary>
    public static TBuilder RequireAuditor<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        Application.RequireTokenOrSession(builder,
            new PlatformAuthentication.RequiredAccess("role", PlatformRoles.Auditor + " (a token with " + PlatformScopes.SharingAudit + ", or the page's session)"),
            IsAuditor);

    /// <summary>True for an auditor's token carrying <c>sharing.audit</c> for this service, or an auditor's session of the page.</summary>
    public static bool IsAuditor(ClaimsPrincipal user) =>
        (TokenCaller.HasScope(user, PlatformScopes.SharingAudit) && TokenCaller.From(user).Role == PlatformRoles.Auditor) || Application.HasSession(user);

    /// <summary>The auditor's user name: the token's or the session's subject.</summary>
    public static string AuditorOf(ClaimsPrincipal user) => user.FindFirst(PlatformClaims.Subject)?.Value ?? "";
}
