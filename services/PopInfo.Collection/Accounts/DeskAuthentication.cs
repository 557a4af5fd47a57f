using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Collection.Accounts;

/// <summary>
/// The desk as an application people sign in to at the identity provider (ServiceDefaults' <see cref="PeopleSignInRegistration"/>):
/// its cookie <c>popinfo.desk</c>, its settings <c>PopInfo:Collection:SignIn</c> (client <c>popinfo-desk</c>), the desk's
/// roles (collector, supervisor, admin — else <c>role.desk</c>) with a region of the right level (<c>region.*</c>), and
/// the collector's community and street in the session. Every sign-in, refusal and ended session is audited (<see cref="DeskSignInEvents"/>).
/// </summary>
public static class DeskAuthentication
{
    public const string Scheme = "popinfo-desk";
    public const string ProviderScheme = "popinfo-desk-provider";
    public const string DeskPolicy = "desk";
    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";

    /// <summary>The settings section of the desk's sign-in (<see cref="PeopleSignInOptions"/>).</summary>
    public const string Section = "PopInfo:Collection:SignIn";

    /// <summary>The desk's sign-in: what differs from every other application people sign in to.</summary>
    public static readonly PeopleSignInApplication Application = new()
    {
        ServiceName = CollectionModule.Name,
        DisplayName = "desk",
        Scheme = Scheme,
        ProviderScheme = ProviderScheme,
        CookieName = "popinfo.desk",
        SettingsSection = Section,
        DefaultClientId = "popinfo-desk",
        PagePath = DeskPage.Path,
        SignInPath = SignInPath,
        RecheckSetting = "PopInfo:Collection:SessionRecheck",
        Policy = DeskPolicy,
        IsDefaultScheme = true,
        Roles = PlatformRoles.Desk,
        RoleRule = "role.desk",
        RegionRule = (role, region, services) => PlatformRoles.CheckRegion(role, region, services.GetRequiredService<RegionCatalogue>()),
        ExtraClaims = (person, services) => DeskClaims(person, services.GetRequiredService<RegionCatalogue>()),
    };

    public static IHostApplicationBuilder AddDeskAuthentication(this IHostApplicationBuilder builder) =>
        builder.AddPeopleSignIn<DeskSignInEvents>(Application);

    /// <summary>The desk's sign-in settings (issuer, client id and secret) as read at start.</summary>
    public static PeopleSignInOptions Options(IServiceProvider services) => services.GetRequiredKeyedService<PeopleSignInOptions>(Scheme);

    // A collector's community and its street; a supervisor's street.
    private static IEnumerable<Claim> DeskClaims(SignedInPerson person, RegionCatalogue regions)
    {
        var (community, street) = CommunityAndStreet(person.Role, person.Region, regions);
        if (community is not null)
        {
            yield return new(DeskUser.CommunityClaim, community);
        }

        if (street is not null)
        {
            yield return new(DeskUser.StreetClaim, street);
        }
    }

    internal static (string? Community, string? Street) CommunityAndStreet(string? role, string? region, RegionCatalogue regions) =>
        (role == PlatformRoles.Collector ? region : null, role switch
        {
            PlatformRoles.Collector when regions.TryGet(region, out var c) => c.ParentCode,
            PlatformRoles.Supervisor => region,
            _ => null,
        });
}
