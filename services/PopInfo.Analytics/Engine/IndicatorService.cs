using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Analytics.Engine;

/// <summary>A count as published (protected) — every indicator is computed from such counts, never from true ones.</summary>
public sealed record PyramidBand(string Band, long Male, long Female);

/// <summary>The indicators of one region on one day.</summary>
public sealed record IndicatorsResult(
    Category Region, DateOnly AsOf, string Basis, long Population, long Male, long Female, long Registered, long Migrant,
    IReadOnlyDictionary<string, long> AgeGroups, IReadOnlyDictionary<string, double?> SharesPercent,
    double? ChildDependencyRatio, double? OldAgeDependencyRatio, double? TotalDependencyRatio, double? SexRatio,
    long Households, double? AverageHouseholdSize, IReadOnlyList<PyramidBand> Pyramid, ProtectionApplied Protection, long Watermark);

/// <summary>
/// The planners' indicators. One pass counts single years of age by sex (true counts and cell keys); each published
/// count — a group, a band, a total — is summed from those and then perturbed on its own, exactly as a table cell of the
/// same people would be. Ratios and shares are computed from published counts only.
/// </summary>
public sealed class IndicatorService(PopulationIndex index, TableService tables, Disclosure disclosure, ProjectionWatermark watermark)
{
    /// <summary>The most regions and dates one comparison may name.</summary>
    public const int MaxRegions = 10, MaxDates = 5;

    public Result<IndicatorsResult> Build(string? regionCode, string? asOf, string? basis) => Build(regionCode, asOf, basis, protect: true);

    /// <summary>The indicators of every region named on every date named (regions, then dates, in the order given).</summary>
    public Result<IReadOnlyList<IndicatorsResult>> Compare(string? regionCodes, string? dates, string? basis)
    {
        var regions = (regionCodes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var days = (dates ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var violations = new List<RuleViolation>();
        if (regions.Length is 0 or > MaxRegions)
        {
            violations.Add(new("regions", "regions.count", $"regions names 1 to {MaxRegions} region codes, comma-separated."));
        }

        if (days.Length > MaxDates)
        {
            violations.Add(new("dates", "dates.count", $"dates names at most {MaxDates} dates (yyyy-MM-dd), comma-separated; none means today."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var answers = new List<IndicatorsResult>();
        foreach (var region in regions)
        {
            foreach (var day in days.Length == 0 ? [null] : days.Cast<string?>())
            {
                var one = Build(region, day, basis);
                if (!one.Succeeded)
                {
                    return Refusal.Invalid(
                        [.. one.Violations.Select(v => v.Field == "region" ? v with { Field = "regions" } : v.Field == "asOf" ? v with { Field = "dates" } : v)]);
                }

                answers.Add(one.Value!);
            }
        }

        return Result.Ok<IReadOnlyList<IndicatorsResult>>(answers);
    }

    internal Result<IndicatorsResult> Build(string? regionCode, string? asOfText, string? basisText, bool protect)
    {
        var violations = new List<RuleViolation>();
        var region = TableSpec.Check.Region(regionCode, index.Categories.Regions, violations);
        var asOf = TableSpec.Check.Date("asOf", asOfText, tables.Today, violations);
        var basis = TableSpec.Check.Basis(basisText, violations);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        return Result.Ok(index.Read(view => Compute(view, region!, asOf, basis, protect)));
    }

    private IndicatorsResult Compute(PopulationIndex.IndexView view, Region region, DateOnly asOf, TimeBasis basis, bool protect)
    {
        var regions = index.Categories.Regions;
        var spec = new TableSpec(
            [Dimensions.Of(DimensionKind.Age, region, regions)],
            [Dimensions.Of(DimensionKind.Sex, region, regions), Dimensions.Of(DimensionKind.ResidenceType, region, regions)],
            [], region, asOf, basis);
        var cube = tables.CountCube(view, spec, [.. spec.AllDimensions]);
        const int sexes = 4, types = 2;
        var male = Categories.Sex.Entries.ToList().FindIndex(e => e.Code == Domain.Codes.SexCodes.Male);
        var female = Categories.Sex.Entries.ToList().FindIndex(e => e.Code == Domain.Codes.SexCodes.Female);

        long Publish(Func<int, int, int, bool> where)
        {
            long count = 0;
            uint key = 0;
            for (var age = 0; age <= Ages.OpenEnded; age++)
            {
                for (var s = 0; s < sexes; s++)
                {
                    for (var t = 0; t < types; t++)
                    {
                        if (where(age, s, t))
                        {
                            var i = (age * sexes + s) * types + t;
                            count += cube.Counts[i];
                            key += cube.Keys[i];
                        }
                    }
                }
            }

            return protect ? disclosure.Publish(count, key) : count;
        }

        var population = Publish((_, _, _) => true);
        var groups = Ages.PlannerGroups.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => Publish((age, _, _) => Ages.InPlannerGroup(age, p.i)));
        var aged15To64 = Publish((age, _, _) => age is >= 15 and <= 64);
        var pyramid = Enumerable.Range(0, Ages.OpenEnded / 5 + 1).Select(b => new PyramidBand(
            Ages.FiveYearBandLabel(b),
            Publish((age, s, _) => Ages.FiveYearBand(age) == b && s == male),
            Publish((age, s, _) => Ages.FiveYearBand(age) == b && s == female))).ToList();
        var men = Publish((_, s, _) => s == male);
        var women = Publish((_, s, _) => s == female);

        var (inHouseholds, households) = Households(view, region, asOf, basis, protect);
        return new IndicatorsResult(
            new Category(region.Code, region.Name, region.Code), asOf, basis == TimeBasis.Occurred ? "occurred" : "recorded",
            population, men, women,
            Publish((_, _, t) => t == 0), Publish((_, _, t) => t == 1),
            groups,
            groups.ToDictionary(g => g.Key, g => Indicators.Percent(g.Value, population)),
            Indicators.ChildDependency(groups["0-14"], aged15To64),
            Indicators.OldAgeDependency(groups["65+"], aged15To64),
            Indicators.TotalDependency(groups["0-14"], groups["65+"], aged15To64),
            Indicators.SexRatio(men, women),
            households,
            Indicators.AverageHouseholdSize(inHouseholds, households),
            pyramid,
            protect ? disclosure.Applied : ProtectionApplied.None,
            watermark.Current);
    }

    // People living in households, and households with anyone living in them, within the region on the day.
    private (long People, long Households) Households(PopulationIndex.IndexView view, Region region, DateOnly asOf, TimeBasis basis, bool protect)
    {
        var within = new bool[view.HouseholdCount];
        var (from, to) = basis == TimeBasis.Occurred ? (view.ValidFrom, view.ValidTo) : (view.KnownFrom, view.KnownTo);
        var inRegion = new bool[index.Categories.Communities.Count];
        foreach (var c in region.Level == RegionLevel.City ? Enumerable.Range(0, inRegion.Length) : index.Categories.CommunitiesWithin(region.Code))
        {
            inRegion[c] = true;
        }

        long people = 0, households = 0;
        uint peopleKey = 0, householdKey = 0;
        var day = asOf.DayNumber;
        for (var r = 0; r < view.RowCount; r++)
        {
            var h = view.Household[r];
            var c = view.Community[r];
            if (h >= 0 && c >= 0 && inRegion[c] && from[r] <= day && day < to[r])
            {
                people++;
                peopleKey += view.RowKey[r];
                if (!within[h])
                {
                    within[h] = true;
                    households++;
                    householdKey += view.HouseholdKey[h];
                }
            }
        }

        return protect ? (disclosure.Publish(people, peopleKey), disclosure.Publish(households, householdKey)) : (people, households);
    }
}
