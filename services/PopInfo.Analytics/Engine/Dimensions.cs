using PopInfo.Domain.Codes;
using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics.Engine;

/// <summary>What a table's rows and columns can be, and what a filter can name.</summary>
public enum DimensionKind
{
    District,
    Street,
    Community,
    Sex,
    Age,
    AgeBand,
    AgeGroup,
    ResidenceType,
    Education,
    MaritalStatus,
    Ethnicity,
    HouseholdSize,
    OriginProvince,
    MigrantReason,
}

/// <summary>A dimension as a query uses it: its categories within the query's region.</summary>
public sealed record Dimension(string Name, DimensionKind Kind, IReadOnlyList<Category> Categories)
{
    /// <summary>Categories that overlap (the planners' age groups: 65+ is part of 60+): a person counts in each that holds them.</summary>
    public bool Overlapping => Kind == DimensionKind.AgeGroup;

    /// <summary>Migrants only: a table or filter with this dimension counts migrants alone.</summary>
    public bool MigrantsOnly => Kind is DimensionKind.OriginProvince or DimensionKind.MigrantReason;
}

/// <summary>The dimensions by their names in the API (camelCase) and their categories.</summary>
public static class Dimensions
{
    public static readonly IReadOnlyDictionary<string, DimensionKind> ByName = new Dictionary<string, DimensionKind>(StringComparer.Ordinal)
    {
        ["district"] = DimensionKind.District,
        ["street"] = DimensionKind.Street,
        ["community"] = DimensionKind.Community,
        ["sex"] = DimensionKind.Sex,
        ["age"] = DimensionKind.Age,
        ["ageBand"] = DimensionKind.AgeBand,
        ["ageGroup"] = DimensionKind.AgeGroup,
        ["residenceType"] = DimensionKind.ResidenceType,
        ["education"] = DimensionKind.Education,
        ["maritalStatus"] = DimensionKind.MaritalStatus,
        ["ethnicity"] = DimensionKind.Ethnicity,
        ["householdSize"] = DimensionKind.HouseholdSize,
        ["originProvince"] = DimensionKind.OriginProvince,
        ["migrantReason"] = DimensionKind.MigrantReason,
    };

    /// <summary>The code of the category "not stated" of coded fields.</summary>
    public const string NotStated = "none";

    public static string NameOf(DimensionKind kind) => ByName.First(p => p.Value == kind).Key;

    /// <summary>The dimension with its categories; region dimensions list the regions of that level within <paramref name="universe"/>.</summary>
    public static Dimension Of(DimensionKind kind, Region universe, RegionCatalogue regions) => new(NameOf(kind), kind, kind switch
    {
        DimensionKind.District => Within(regions.Districts, universe, regions),
        DimensionKind.Street => Within(regions.Streets, universe, regions),
        DimensionKind.Community => Within(regions.Communities, universe, regions),
        DimensionKind.Sex => Coded(NationalCodes.Sex, stated: false),
        DimensionKind.Age => [.. Enumerable.Range(0, Ages.OpenEnded + 1).Select(a => a == Ages.OpenEnded ? new Category($"{a}+", $"{a}岁及以上", $"{a}+") : new Category($"{a}", $"{a}岁", $"{a}"))],
        DimensionKind.AgeBand => [.. Enumerable.Range(0, Ages.OpenEnded / 5 + 1).Select(b => new Category(Ages.FiveYearBandLabel(b), Ages.FiveYearBandLabel(b) + "岁", Ages.FiveYearBandLabel(b)))],
        DimensionKind.AgeGroup => [.. Ages.PlannerGroups.Select(g => new Category(g, g + "岁", g))],
        DimensionKind.ResidenceType => [new(ResidenceTypes.Registered, "户籍人口", ResidenceTypes.Registered), new(ResidenceTypes.Migrant, "流动人口", ResidenceTypes.Migrant)],
        DimensionKind.Education => Coded(NationalCodes.Education, stated: true),
        DimensionKind.MaritalStatus => Coded(NationalCodes.MaritalStatus, stated: true),
        DimensionKind.Ethnicity => Coded(NationalCodes.Ethnicity, stated: true),
        DimensionKind.HouseholdSize => [.. Enumerable.Range(1, HouseholdSizes.Largest).Select(s => s == HouseholdSizes.Largest ? new Category($"{s}+", $"{s}人及以上", $"{s}+") : new Category($"{s}", $"{s}人", $"{s}")), new(NotStated, "无户", "no household")],
        DimensionKind.OriginProvince => Coded(NationalCodes.Province, stated: false),
        DimensionKind.MigrantReason => [.. MigrantReasons.All.Select((r, i) => new Category(r, MigrantReasons.Labels[i], r))],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    private static Category[] Within(IReadOnlyList<Region> level, Region universe, RegionCatalogue regions) =>
        [.. level.Where(r => regions.IsWithin(r.Code, universe.Code)).Select(r => new Category(r.Code, r.Name, r.Code))];

    private static Category[] Coded(CodeList list, bool stated) =>
        [.. list.Entries.Select(e => new Category(e.Code, e.ChineseName, e.EnglishName)), .. stated ? new[] { new Category(NotStated, "未说明", "not stated") } : []];
}

/// <summary>Household sizes as tables show them.</summary>
public static class HouseholdSizes
{
    /// <summary>The largest size shown on its own: "6+" holds six and more.</summary>
    public const int Largest = 6;
}
