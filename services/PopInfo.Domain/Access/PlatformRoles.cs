using PopInfo.Domain.Regions;

namespace PopInfo.Domain.Access;

/// <summary>
/// The roles of the people who use the platform, and the region each is bound to. A collector works for one
/// community, a supervisor oversees one street (town); the others act city-wide.
/// </summary>
public static class PlatformRoles
{
    /// <summary>Manages accounts, roles, scopes and clients; sees no persons.</summary>
    public const string Admin = "admin";

    /// <summary>Enters forms for one community (一人一表).</summary>
    public const string Collector = "collector";

    /// <summary>Reads the forms and days of the communities of one street.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Builds aggregate population tables (online decision analysis).</summary>
    public const string Planner = "planner";

    /// <summary>Watches the platform's health, flow and timeliness (monitoring).</summary>
    public const string Operator = "operator";

    /// <summary>Reads the audit trails.</summary>
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Admin, Collector, Supervisor, Planner, Operator, Auditor];

    /// <summary>The roles the collection desk takes (the others are refused there with <c>role.desk</c>).</summary>
    public static IReadOnlyList<string> Desk { get; } = [Collector, Supervisor, Admin];

    /// <summary>A user name's form: 3–40 ASCII letters, digits, '-', '_' or '.' (rule <c>user-name.format</c>).</summary>
    public static bool IsUserName(string? name) =>
        name is { Length: >= 3 and <= 40 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The level of the region a role is bound to, or null for a city-wide role.</summary>
    public static RegionLevel? RegionLevelOf(string role) => role switch
    {
        Collector => RegionLevel.Community,
        Supervisor => RegionLevel.Street,
        _ => null,
    };

    /// <summary>
    /// Checks a role and its region: the rule broken (<c>role.known</c>, <c>region.required</c>, <c>region.level</c>,
    /// <c>region.none</c>), or null when they fit.
    /// </summary>
    public static string? CheckRegion(string? role, string? regionCode, RegionCatalogue regions)
    {
        if (role is null || !All.Contains(role))
        {
            return "role.known";
        }

        var level = RegionLevelOf(role);
        if (level is null)
        {
            return string.IsNullOrEmpty(regionCode) ? null : "region.none";
        }

        if (string.IsNullOrEmpty(regionCode))
        {
            return "region.required";
        }

        return regions.TryGet(regionCode, out var region) && region.Level == level ? null : "region.level";
    }
}
