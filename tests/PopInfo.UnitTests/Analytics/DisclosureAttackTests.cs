using Microsoft.Extensions.Time.Testing;
using PopInfo.Analytics.Engine;
using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Analytics;

/// <summary>
/// The attacks of docs/analytics.md ("What the protection guarantees") against the published tables: a planner with
/// every table, differencing big published figures to get at a small cell (1–4 people). Each attack's exact recoveries
/// are compared with what the method's design allows — the chance that the noises of the figures it combines cancel,
/// computed from the perturbation table — and none may do better.
/// </summary>
public class DisclosureAttackTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 6, 1, 4, 0, 0, TimeSpan.Zero));
    private static readonly Lazy<(TableService Tables, RandomRegister Register)> City = new(() =>
    {
        var register = new RandomRegister(11, 30_000);
        var index = RandomRegister.NewIndex();
        index.Apply(register.Versions);
        return (RandomRegister.Service(index, Clock), register);
    });

    private static readonly CellKeyPerturbation Method = new();

    private static readonly string[] Educations = ["20", "30", "60", "70", "80", "none"];
    private static readonly string[] Maritals = ["10", "20", "40", "none"];

    private static TableResult Table(string rows, string? columns = null, string? filter = null, string? region = null, string? asOf = "2026-01-01", bool protect = true, params string[] more)
    {
        var result = City.Value.Tables.Build(new TableRequest(rows, columns, [.. filter is null ? [] : new[] { filter }, .. more], region, asOf, null), protect);
        Assert.True(result.Succeeded, string.Join("; ", result.Violations.Select(v => v.Message)));
        return result.Value!;
    }

    [Fact]
    public void No_published_figure_is_a_small_count()
    {
        var table = Table("community", "ageBand,sex");
        var all = table.Cells.SelectMany(r => r).Concat(table.RowTotals).Concat(table.ColumnTotals).Append(table.Total);
        Assert.DoesNotContain(all, v => v is >= 1 and <= 4);
        // And there were small cells to hide.
        var truth = Table("community", "ageBand,sex", protect: false);
        Assert.Contains(truth.Cells.SelectMany(r => r), v => v is >= 1 and <= 4);
    }

    /// <summary>
    /// The same people must get the same published figure however they are reached, or averaging the versions would wear
    /// the noise away: the city's tables are counted from a day view (district ones too, streets and communities from their
    /// rows), and both must sum the same record keys.
    /// </summary>
    [Fact]
    public void The_same_people_get_the_same_figure_whichever_way_they_are_counted()
    {
        foreach (var (dimension, asOf) in new[] { ("street", "2026-01-01"), ("district", "2026-01-01"), ("street", "2021-07-01") })
        {
            var city = Table(dimension, asOf: asOf);
            var truth = Table(dimension, asOf: asOf, protect: false);
            for (var r = 0; r < city.RowKeys.Count; r++)
            {
                var own = Table("sex", region: city.RowKeys[r][0], asOf: asOf);
                var ownTruth = Table("sex", region: city.RowKeys[r][0], asOf: asOf, protect: false);
                Assert.Equal(truth.RowTotals[r], ownTruth.Total);
                Assert.True(city.RowTotals[r] == own.Total, $"{dimension} {city.RowKeys[r][0]} on {asOf}: {city.RowTotals[r]} in the city's table, {own.Total} in its own");
            }
        }
    }

    [Fact]
    public void The_city_minus_all_but_one_district_does_not_give_the_district_away()
    {
        // For every single year of age: the district's small count = the city's total − the other districts' published counts.
        // Narrowed by education and marital status so that the districts' cells are small.
        var attempts = new List<(long Truth, long Estimate)>();
        for (var age = 20; age < 90 && attempts.Count < 200; age++)
        {
            foreach (var education in Educations)
            {
                foreach (var marital in Maritals)
                {
                    string[] filters = [$"education:{education}", $"maritalStatus:{marital}"];
                    var published = Table("district", filter: $"age:{age}", more: filters);
                    var truth = Table("district", filter: $"age:{age}", protect: false, more: filters);
                    for (var d = 0; d < truth.Cells.Length; d++)
                    {
                        if (truth.Cells[d][0] is >= 1 and <= 4)
                        {
                            attempts.Add((truth.Cells[d][0], published.Total - published.Cells.Where((_, i) => i != d).Sum(c => c[0])));
                        }
                    }
                }
            }
        }

        AssertNoBetterThanDesign(attempts, figures: 2, "city minus the other districts");
    }

    [Fact]
    public void A_band_minus_its_other_single_years_does_not_give_the_last_year_away()
    {
        var attempts = new List<(long Truth, long Estimate)>();
        foreach (var community in RandomRegister.Communities)
        {
            foreach (var education in Educations)
            {
                var filter = $"education:{education}";
                var bands = Table("ageBand", filter: filter, region: community);
                var singles = Table("age", filter: filter, region: community);
                var truth = Table("age", filter: filter, region: community, protect: false);
                for (var band = 0; band < 20; band++)
                {
                    var last = band * 5 + 4;
                    if (truth.Cells[last][0] is >= 1 and <= 4)
                    {
                        attempts.Add((truth.Cells[last][0], bands.Cells[band][0] - Enumerable.Range(band * 5, 4).Sum(a => singles.Cells[a][0])));
                    }
                }
            }
        }

        AssertNoBetterThanDesign(attempts, figures: 5, "band minus four single years");
    }

    [Fact]
    public void Today_minus_yesterday_does_not_give_the_day_s_changes_away()
    {
        var attempts = new List<(long Truth, long Estimate)>();
        var day = new DateOnly(2019, 1, 1);
        for (var i = 0; i < 300 && attempts.Count < 150; i++, day = day.AddDays(3))
        {
            var today = Table("community", asOf: day.ToString("yyyy-MM-dd"));
            var yesterday = Table("community", asOf: day.AddDays(-1).ToString("yyyy-MM-dd"));
            var trueToday = Table("community", asOf: day.ToString("yyyy-MM-dd"), protect: false);
            var trueYesterday = Table("community", asOf: day.AddDays(-1).ToString("yyyy-MM-dd"), protect: false);
            for (var c = 0; c < today.Cells.Length; c++)
            {
                var change = trueToday.Cells[c][0] - trueYesterday.Cells[c][0];
                if (change is >= 1 and <= 4)
                {
                    attempts.Add((change, today.Cells[c][0] - yesterday.Cells[c][0]));
                }
            }
        }

        AssertNoBetterThanDesign(attempts, figures: 2, "today minus yesterday");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Averaging_differencing_paths_narrows_the_estimate_no_faster_than_the_design_says(int paths)
    {
        // Cell X = (community, age k, education e), small. Path j: the community's count of ages {k} ∪ J_j minus its count of
        // ages J_j, J_j five other single years — two figures of large cells with independent noise. The attacker averages
        // the paths and rounds.
        var attempts = new List<(long Truth, long Estimate)>();
        foreach (var education in Educations)
        {
            var filter = $"education:{education}";
            var truth = Table("community", filter: filter, protect: false, more: "ageGroup:15-59");
            for (var k = 20; k < 60 && attempts.Count < 80; k++)
            {
                var cell = Table("community", filter: filter, protect: false, more: $"age:{k}");
                for (var c = 0; c < cell.Cells.Length; c++)
                {
                    if (cell.Cells[c][0] is not (>= 1 and <= 4) || truth.Cells[c][0] < 100)
                    {
                        continue;
                    }

                    var estimates = Enumerable.Range(0, paths).Select(j =>
                    {
                        var others = string.Join(',', Enumerable.Range(0, 5).Select(i => 60 + ((j * 5 + i) % 40)));
                        return (double)(Table("community", filter: filter, more: $"age:{k},{others}").Cells[c][0] - Table("community", filter: filter, more: $"age:{others}").Cells[c][0]);
                    });
                    attempts.Add((cell.Cells[c][0], (long)Math.Round(estimates.Average())));
                }
            }
        }

        AssertNoBetterThanDesign(attempts, figures: 2, $"average of {paths} paths", averaged: paths);
    }

    // The design: each published figure of a large cell carries an independent noise from the table; an estimate that
    // adds and subtracts `figures` of them (averaged over `averaged` independent paths, then rounded) is exact with the
    // probability computed here. An attack may be lucky, never systematically better: allow three standard errors.
    private void AssertNoBetterThanDesign(List<(long Truth, long Estimate)> attempts, int figures, string attack, int averaged = 1)
    {
        Assert.True(attempts.Count >= 30, $"{attack}: only {attempts.Count} small cells to attack; the test city is too small.");
        var exact = attempts.Count(a => a.Truth == a.Estimate) / (double)attempts.Count;
        var design = DesignedExactChance(figures, averaged);
        var allowed = design + 3 * Math.Sqrt(design * (1 - design) / attempts.Count);
        output.WriteLine($"{attack}: {attempts.Count} small cells, {exact:P1} recovered exactly; the design's chance {design:P1}.");
        Assert.True(exact <= allowed, $"{attack}: {exact:P0} of {attempts.Count} small cells recovered exactly; the design allows {design:P0} (≤ {allowed:P0} with chance).");
        Assert.True(exact < 0.75, $"{attack}: {exact:P0} recovered exactly.");
    }

    // Monte Carlo over the perturbation table's noise for large counts (fixed seed: the same figure every run).
    private static double DesignedExactChance(int figures, int averaged)
    {
        var noise = Method.NoiseOf(1000);
        var random = new Random(1);
        const int Trials = 200_000;
        var exact = 0;
        for (var t = 0; t < Trials; t++)
        {
            double sum = 0;
            for (var p = 0; p < averaged; p++)
            {
                for (var f = 0; f < figures; f++)
                {
                    sum += (f % 2 == 0 ? 1 : -1) * Draw(noise, random.NextDouble());
                }
            }

            exact += Math.Round(sum / averaged) == 0 ? 1 : 0;
        }

        return exact / (double)Trials;
    }

    private static int Draw(IReadOnlyList<(int Noise, double Probability)> noise, double u)
    {
        foreach (var (value, probability) in noise)
        {
            if ((u -= probability) < 0)
            {
                return value;
            }
        }

        return noise[^1].Noise;
    }
}
