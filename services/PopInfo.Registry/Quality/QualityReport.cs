using System.Globalization;
using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Quality;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Quality;

/// <summary>Counts per rule of one region.</summary>
public sealed record QualityRegionCounts(string Code, string Name, string Level, IReadOnlyDictionary<string, int> Counts);

/// <summary>The counts of a region and of each region one level down (docs/data-quality.md). No person.</summary>
public sealed record QualityCounts(string Today, QualityRegionCounts Region, IReadOnlyList<QualityRegionCounts> Children);

/// <summary>One person a rule flags, as the desk shows a person: the name and the masked identity number.</summary>
public sealed record QualityIssue(Guid PersonId, string Rule, string Field, string Detail, string Name, string IdNumber, Guid? HouseholdId);

/// <summary>A page of the persons the rules flag in one community.</summary>
public sealed record QualityIssues(string Community, string? Rule, string Today, int Total, int Offset, int Limit, IReadOnlyList<QualityIssue> Items);

/// <summary>
/// The data-quality rules over the register (issue 12, docs/data-quality.md): counts per region for monitoring and
/// operators, and the list of one community for its collector and its street's supervisor, every listed person audited.
/// </summary>
public sealed class QualityReport(QualityStore store, RegionCatalogue regions, ReadAuditStore audit, IConfiguration configuration, TimeProvider clock)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <summary>
    /// The most living persons one count reads by default (setting <c>PopInfo:Registry:QualityMaxPersons</c>): the rules
    /// read and parse every record of the region, so a district or the city (hundreds of thousands to millions of records)
    /// would hold gigabytes in the registry. Until counts are kept as the change log moves (docs/data-quality.md), larger
    /// regions are refused by name.
    /// </summary>
    public const long MaxPersons = 250_000;

    public const string MaxPersonsSetting = "PopInfo:Registry:QualityMaxPersons";

    public async Task<Result<QualityCounts>> CountsAsync(string? regionCode, CancellationToken ct)
    {
        var code = string.IsNullOrWhiteSpace(regionCode) ? regions.CityCode : regionCode.Trim();
        if (!regions.TryGet(code, out var region))
        {
            return Refusal.Invalid("region", "region.exists", "No region has this code.");
        }

        var (from, to) = CodeRange(region);
        var most = configuration.GetValue(MaxPersonsSetting, MaxPersons);
        if (await store.CountLivingAsync(from, to, ct) > most)
        {
            return Refusal.Invalid("region", "quality.region-too-large",
                $"This region has more than {most:N0} living persons: ask for its streets (or a smaller district) until counts are kept as the register changes.");
        }

        var today = ChinaTime.Today(clock);
        var findings = await FindAsync(region, today, ct);
        var children = regions.ChildrenOf(region.Code);
        var byChild = findings.ToLookup(f => ChildOf(f.Region, region.Code));
        return new QualityCounts(Day(today), Counted(region, findings), [.. children.Select(c => Counted(c, byChild[c.Code]))]);
    }

    public async Task<Result<QualityIssues>> IssuesAsync(
        ClaimsPrincipal user, string? community, string? rule, OffsetPaging paging, CancellationToken ct)
    {
        var caller = TokenCaller.From(user);
        if (caller.Role is not (PlatformRoles.Collector or PlatformRoles.Supervisor))
        {
            return Refusal.Forbidden("token.role", "Only a collector or a supervisor reads the persons the rules flag.");
        }

        if (!regions.TryGet(community, out var region) || region.Level != RegionLevel.Community)
        {
            return Refusal.Invalid("community", "region.community", "Give a community's code (12 digits).");
        }

        var own = caller.Role == PlatformRoles.Collector ? caller.Region == region.Code : caller.Region == region.ParentCode;
        if (!own)
        {
            return Refusal.Forbidden("scope.community", "This community is not yours (a collector's own community, a supervisor's street's communities).");
        }

        var violations = new List<RuleViolation>();
        if (rule is not null && !QualityRules.IsRule(rule))
        {
            violations.Add(new("rule", "quality.rule", "rule is one of " + string.Join(", ", QualityRules.All) + "."));
        }

        var (limit, _, _, from) = paging.Check(violations, DefaultLimit, MaxLimit);

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var today = ChinaTime.Today(clock);
        var all = (await FindAsync(region, today, ct))
            .Where(f => rule is null || f.Rule == rule)
            .OrderBy(f => QualityRules.All.ToList().IndexOf(f.Rule)).ThenBy(f => f.Person.PersonId)
            .ToList();
        var page = all.Skip(from).Take(limit).ToList();
        await audit.WriteAsync(user, "quality.issues", page.Select(f => f.Person.PersonId),
            string.Create(CultureInfo.InvariantCulture, $"community {region.Code}; rule {rule ?? "all"}; {page.Count} of {all.Count} from {from}"), ct);
        return new QualityIssues(region.Code, rule, Day(today), all.Count, from, limit,
            [.. page.Select(f => new QualityIssue(f.Person.PersonId, f.Rule, f.Field, f.Detail, f.Person.Name, IdentityNumber.Mask(f.Person.IdNumber), f.HouseholdId))]);
    }

    private async Task<IReadOnlyList<QualityFinding>> FindAsync(Region region, DateOnly today, CancellationToken ct)
    {
        var (from, to) = CodeRange(region);
        var living = await store.LivingPersonsAsync(from, to, ct);
        var members = await store.HouseholdMembersAsync(from, to, ct);
        return QualityFindings.Of(living, members, today);
    }

    /// <summary>The codes within a region: from its prefix up to the next prefix of the same length (codes are digits).</summary>
    public static (string From, string To) CodeRange(Region region)
    {
        var prefix = QualityRules.CodePrefix(region);
        var next = (long.Parse(prefix, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture).PadLeft(prefix.Length, '0');
        return (prefix, next);
    }

    /// <summary>The region one level below <paramref name="parent"/> that holds <paramref name="code"/>, or "" when none does.</summary>
    private string ChildOf(string code, string parent)
    {
        var current = regions.TryGet(code, out var r) ? r : null;
        while (current is not null && current.ParentCode != parent)
        {
            current = current.ParentCode is not null && regions.TryGet(current.ParentCode, out var up) ? up : null;
        }

        return current?.Code ?? "";
    }

    private static QualityRegionCounts Counted(Region region, IEnumerable<QualityFinding> findings)
    {
        var list = findings.ToList();
        return new(region.Code, region.Name, region.Level.ToString().ToLowerInvariant(),
            QualityRules.All.ToDictionary(r => r, r => QualityFindings.Count(list, r), StringComparer.Ordinal));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
