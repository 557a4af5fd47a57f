using System.Globalization;
using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Analytics.Engine;

/// <summary>One month of a region's events, counted by when they happened, each count protected on its own.</summary>
public sealed record MonthFigures(
    string Month, long PopulationAtStart, long Births, long Deaths, double? NaturalGrowthRatePerThousand,
    long MovedIn, long MovedOut, long MovedIntoRegion, long MovedOutOfRegion, long MovedWithinRegion,
    long MigrantArrivals, long MigrantDepartures);

/// <summary>A migrants' province of origin and how many arrived from it, or left for it, over the period.</summary>
public sealed record OriginFigures(string Province, string Label, long Arrivals, long Departures);

/// <summary>A region's monthly series.</summary>
public sealed record SeriesResult(
    Category Region, string From, string To, IReadOnlyList<MonthFigures> Months, IReadOnlyList<OriginFigures> Origins,
    ProtectionApplied Protection, long Watermark);

/// <summary>
/// Monthly events of a region by the day they happened (the occurred basis: a birth recorded late counts in its month):
/// births and deaths; moves in from outside the city and out of it (registered residents); moves within the city into the
/// region, out of it and within it; migrants' arrivals and departures, with their provinces of origin over the period.
/// The population at each month's start is the rate's denominator.
/// </summary>
public sealed class SeriesService(PopulationIndex index, TableService tables, Disclosure disclosure, ProjectionWatermark watermark)
{
    /// <summary>The most months one series may span.</summary>
    public const int MaxMonths = 240;

    private enum Measure { Births, Deaths, MovedIn, MovedOut, IntoRegion, OutOfRegion, WithinRegion, Arrivals, Departures }

    private static readonly int Measures = Enum.GetValues<Measure>().Length;

    public Result<SeriesResult> Build(string? regionCode, string? from, string? to) => Build(regionCode, from, to, protect: true);

    internal Result<SeriesResult> Build(string? regionCode, string? fromText, string? toText, bool protect)
    {
        var violations = new List<RuleViolation>();
        var region = TableSpec.Check.Region(regionCode, index.Categories.Regions, violations);
        var today = tables.Today;
        var to = Month("to", toText, new DateOnly(today.Year, today.Month, 1), violations);
        var from = Month("from", fromText, to.AddMonths(-23), violations);
        if (violations.Count == 0 && (from > to || (to.Year - from.Year) * 12 + to.Month - from.Month >= MaxMonths))
        {
            violations.Add(new("from", "months.range", $"from is a month no later than to, at most {MaxMonths} months before it."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        return Result.Ok(index.Read(view => Compute(view, region!, from, to, protect)));
    }

    private static DateOnly Month(string field, string? text, DateOnly fallback, List<RuleViolation> violations)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && month >= TableSpec.EarliestDate)
        {
            return month;
        }

        violations.Add(new(field, "month.format", $"{field} is a month yyyy-MM, 1900 or later."));
        return fallback;
    }

    private SeriesResult Compute(PopulationIndex.IndexView view, Region region, DateOnly from, DateOnly to, bool protect)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month + 1;
        var starts = Enumerable.Range(0, months + 1).Select(m => from.AddMonths(m).DayNumber).ToArray();
        var inRegion = new bool[index.Categories.Communities.Count];
        var communities = region.Level == RegionLevel.City ? Enumerable.Range(0, inRegion.Length).ToArray() : index.Categories.CommunitiesWithin(region.Code);
        foreach (var c in communities)
        {
            inRegion[c] = true;
        }

        var counts = new long[months * Measures];
        var keys = new uint[months * Measures];
        var provinces = Categories.Province.Entries.Count + 1;
        var originCounts = new long[provinces * 2];
        var originKeys = new uint[provinces * 2];
        var population = new long[months + 1];
        var populationKeys = new uint[months + 1];

        void Add(Measure measure, int r)
        {
            var m = MonthOf(view.ValidFrom[r]);
            if (m >= 0)
            {
                counts[m * Measures + (int)measure]++;
                keys[m * Measures + (int)measure] += view.RowKey[r];
            }
        }

        void AddOrigin(int side, int r)
        {
            if (MonthOf(view.ValidFrom[r]) >= 0)
            {
                originCounts[view.Province[r] * 2 + side]++;
                originKeys[view.Province[r] * 2 + side] += view.RowKey[r];
            }
        }

        int MonthOf(int day)
        {
            if (day < starts[0] || day >= starts[^1])
            {
                return -1;
            }

            var at = Array.BinarySearch(starts, day);
            return at >= 0 ? at : ~at - 1;
        }

        foreach (var c in communities)
        {
            // Versions that lived in the community: inflows, moves within, and the population at each month's start.
            foreach (var r in view.RowsOfCommunity(c))
            {
                var type = ChangeTypeName(view.ChangeType[r]);
                var previousInside = view.PreviousCommunity[r] >= 0 && inRegion[view.PreviousCommunity[r]];
                switch (type)
                {
                    case ChangeTypes.Born: Add(Measure.Births, r); break;
                    case ChangeTypes.MovedIn: Add(Measure.MovedIn, r); break;
                    case ChangeTypes.MigrantArrived: Add(Measure.Arrivals, r); AddOrigin(0, r); break;
                    case ChangeTypes.MovedWithinCity: Add(previousInside ? Measure.WithinRegion : Measure.IntoRegion, r); break;
                }

                // Population at month starts: +1 over [validFrom, validTo), as a difference over the month starts.
                var first = FirstStartAtOrAfter(view.ValidFrom[r]);
                var end = FirstStartAtOrAfter(view.ValidTo[r]);
                if (first < end)
                {
                    population[first]++;
                    populationKeys[first] += view.RowKey[r];
                    if (end <= months)
                    {
                        population[end]--;
                        populationKeys[end] -= view.RowKey[r];
                    }
                }
            }

            // Versions that left the community: deaths, departures, moves out of the region.
            foreach (var r in view.RowsLeavingCommunity(c))
            {
                var nowInside = view.Community[r] >= 0 && inRegion[view.Community[r]];
                switch (ChangeTypeName(view.ChangeType[r]))
                {
                    case ChangeTypes.Died: Add(Measure.Deaths, r); break;
                    case ChangeTypes.MovedOut: Add(Measure.MovedOut, r); break;
                    case ChangeTypes.MigrantDeparted: Add(Measure.Departures, r); AddOrigin(1, r); break;
                    case ChangeTypes.MovedWithinCity when !nowInside: Add(Measure.OutOfRegion, r); break;
                }
            }
        }

        int FirstStartAtOrAfter(int day)
        {
            if (day == int.MaxValue)
            {
                return months + 1;
            }

            var at = Array.BinarySearch(starts, day);
            return at >= 0 ? at : ~at;
        }

        for (var m = 1; m <= months; m++)
        {
            population[m] += population[m - 1];
            populationKeys[m] += populationKeys[m - 1];
        }

        long Publish(long count, uint key) => protect ? disclosure.Publish(count, key) : count;
        long Get(int m, Measure measure) => Publish(counts[m * Measures + (int)measure], keys[m * Measures + (int)measure]);

        var figures = Enumerable.Range(0, months).Select(m =>
        {
            var pop = Publish(population[m], populationKeys[m]);
            var births = Get(m, Measure.Births);
            var deaths = Get(m, Measure.Deaths);
            return new MonthFigures(
                DateOnly.FromDayNumber(starts[m]).ToString("yyyy-MM", CultureInfo.InvariantCulture), pop, births, deaths,
                Indicators.PerThousandPerYear(births - deaths, pop, starts[m + 1] - starts[m]),
                Get(m, Measure.MovedIn), Get(m, Measure.MovedOut), Get(m, Measure.IntoRegion), Get(m, Measure.OutOfRegion), Get(m, Measure.WithinRegion),
                Get(m, Measure.Arrivals), Get(m, Measure.Departures));
        }).ToList();

        var origins = Categories.Province.Entries.Select((p, i) => new OriginFigures(
                p.Code, p.ChineseName, Publish(originCounts[(i + 1) * 2], originKeys[(i + 1) * 2]), Publish(originCounts[(i + 1) * 2 + 1], originKeys[(i + 1) * 2 + 1])))
            .Where(o => o.Arrivals > 0 || o.Departures > 0)
            .OrderByDescending(o => o.Arrivals)
            .ToList();

        return new SeriesResult(
            new Category(region.Code, region.Name, region.Code), from.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            to.ToString("yyyy-MM", CultureInfo.InvariantCulture), figures, origins,
            protect ? disclosure.Applied : ProtectionApplied.None, watermark.Current);
    }

    private static string ChangeTypeName(byte code) => code == 0 || code > ChangeTypes.All.Count ? "" : ChangeTypes.All[code - 1];
}
