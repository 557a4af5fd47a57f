using PopInfo.Domain.Export;
using PopInfo.Domain.Monitoring;
using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Monitoring;

/// <summary>The assessment's rules one by one (docs/monitoring.md, "Assessment"), then a fixture month worked out by hand.</summary>
public sealed class AssessmentTests
{
    private static readonly TimeSpan Cst = ChinaTime.Offset;

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(29.9, 1)]
    [InlineData(30.0, 2)]
    [InlineData(59.9, 2)]
    [InlineData(60.0, 3)]
    [InlineData(74.9, 3)]
    [InlineData(75.0, 4)]
    [InlineData(89.9, 4)]
    [InlineData(90.0, 5)]
    [InlineData(100.0, 5)]
    public void A_bound_belongs_to_the_stage_it_begins(double score, int stage) => Assert.Equal(stage, Assessment.StageOf(score).Number);

    [Fact]
    public void The_five_stages_are_the_citys()
    {
        Assert.Equal(["poor", "weak", "fair", "good", "excellent"], Assessment.Stages.Select(s => s.Code));
        Assert.Equal([0.0, 30, 60, 75, 90], Assessment.Stages.Select(s => s.From));
        Assert.Equal([30.0, 60, 75, 90, null], Assessment.Stages.Select(s => s.Below));
    }

    [Fact]
    public void Weights_sum_to_100()
    {
        Assert.Equal(100, Assessment.CommunityWeights.Timeliness + Assessment.CommunityWeights.Completeness + Assessment.CommunityWeights.Acknowledgement);
        Assert.Equal(100, Assessment.DepartmentWeights.Timeliness + Assessment.DepartmentWeights.Completeness + Assessment.DepartmentWeights.Acknowledgement);
    }

    [Fact]
    public void Rounding_is_to_one_decimal_halves_away_from_zero()
    {
        Assert.Equal(87.3, Assessment.Round(87.25));
        Assert.Equal(87.2, Assessment.Round(87.2499));
        Assert.Equal(90.0, Assessment.Round(89.95));
    }

    [Fact]
    public void The_stage_follows_the_rounded_score()
    {
        // 89.96 rounds to 90.0: excellent, as published.
        var result = Assessment.Score(new Measures(89.96, null, null), Assessment.CommunityWeights);
        Assert.Equal(90.0, result.Score);
        Assert.Equal(5, result.Stage!.Number);
    }

    [Fact]
    public void Nothing_to_measure_is_not_assessed_not_0_or_100()
    {
        var result = Assessment.Score(Assessment.Community(CommunityFigures.Sum([])), Assessment.CommunityWeights);
        Assert.False(result.Assessed);
        Assert.Null(result.Score);
        Assert.Null(result.Stage);
        Assert.Null(Assessment.Share(0, 0));
        Assert.Equal(0.0, Assessment.Share(0, 4));
    }

    [Fact]
    public void A_missing_measure_leaves_its_weight_out()
    {
        // Timeliness 80 (weight 40) and acknowledgement 50 (weight 30), no completeness: (80×40 + 50×30) / 70 = 4700/70 = 67.142857 → 67.1.
        var result = Assessment.Score(new Measures(80, null, 50), Assessment.DepartmentWeights);
        Assert.Equal(67.1, result.Score);
        Assert.Null(result.Measures.Completeness);
    }

    [Fact]
    public void Equal_scores_share_a_rank_and_the_next_rank_skips()
    {
        var ranked = Assessment.Rank([("d", (double?)50), ("b", 98), ("c", null), ("a", 98), ("e", 40)], x => x.Item2, x => x.Item1);
        Assert.Equal(["a", "b", "d", "e", "c"], ranked.Select(r => r.Item.Item1));
        Assert.Equal([1, 1, 3, 4, null], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void The_deadline_of_a_day_is_its_end_in_the_city()
    {
        var day = new DateOnly(2026, 11, 3);
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 0, 0, 0, Cst), DayClearing.Deadline(day));
        Assert.True(DayClearing.ClearedByDeadline(day, new DateTimeOffset(2026, 11, 3, 23, 59, 59, Cst)));
        Assert.False(DayClearing.ClearedByDeadline(day, new DateTimeOffset(2026, 11, 4, 0, 0, 0, Cst)));
        Assert.False(DayClearing.ClearedByDeadline(day, null));
        // 15:59 UTC on the 3rd is 23:59 in the city; 16:00 UTC is already the 4th.
        Assert.True(DayClearing.SubmittedSameDay(day, new DateTimeOffset(2026, 11, 3, 15, 59, 0, TimeSpan.Zero)));
        Assert.False(DayClearing.SubmittedSameDay(day, new DateTimeOffset(2026, 11, 3, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Cleared_means_no_draft_pending_or_rejected_form()
    {
        Assert.True(DayClearing.IsCleared(0, 0, 0));
        Assert.False(DayClearing.IsCleared(1, 0, 0));
        Assert.False(DayClearing.IsCleared(0, 1, 0));
        Assert.False(DayClearing.IsCleared(0, 0, 1));
    }

    [Fact]
    public void A_record_is_on_time_up_to_seven_days_after_its_event()
    {
        var death = new DateOnly(2026, 11, 1);
        Assert.True(Assessment.SuppliedOnTime(death, new DateOnly(2026, 11, 8)));
        Assert.False(Assessment.SuppliedOnTime(death, new DateOnly(2026, 11, 9)));
    }

    [Theory]
    [InlineData("2026-11", "2026-11-01", "2026-11-30")]
    [InlineData("2026-02", "2026-02-01", "2026-02-28")]
    [InlineData("2028-02", "2028-02-01", "2028-02-29")]
    [InlineData("2026", "2026-01-01", "2026-12-31")]
    public void A_period_is_a_month_or_a_year(string period, string from, string to)
    {
        Assert.True(Assessment.TryParsePeriod(period, out var first, out var last));
        Assert.Equal((from, to), (FactsRange.Format(first), FactsRange.Format(last)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("26")]
    [InlineData("2026-11-01")]
    public void Anything_else_is_no_period(string? period) => Assert.False(Assessment.TryParsePeriod(period, out _, out _));

    [Fact]
    public void A_facts_range_is_named_by_field_and_rule()
    {
        Assert.Empty(FactsRange.Check("2026-01-01", "2026-12-31", out _, out _));
        Assert.Equal([("from", "required"), ("to", "date.format")], FactsRange.Check(null, "2026/12/31", out _, out _).Select(v => (v.Field, v.Rule)));
        Assert.Equal([("to", "range.order")], FactsRange.Check("2026-02-01", "2026-01-31", out _, out _).Select(v => (v.Field, v.Rule)));
        // 2028 is a leap year: 366 days are allowed, 367 are not.
        Assert.Empty(FactsRange.Check("2028-01-01", "2028-12-31", out _, out _));
        Assert.Equal([("to", "range.max-days")], FactsRange.Check("2028-01-01", "2029-01-01", out _, out _).Select(v => (v.Field, v.Rule)));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("东风社区", "东风社区")]
    public void Csv_cells_never_start_a_formula(string value, string field) => Assert.Equal(field, CsvCell.Field(value));

    /// <summary>
    /// A fixture month, November 2026, worked out by hand.
    ///
    /// Community A, four days with forms:
    ///   11-02  5 forms, all first submitted that day, 5 accepted first time; closed 20:00 that day → cleared by the deadline
    ///   11-03  4 forms, 3 submitted that day, 1 the next; 3 accepted first time, 1 rejected once (then accepted); closed 11-04 09:00 → not by the deadline
    ///   11-10  2 forms, both submitted that day and accepted first time; closed that day → by the deadline
    ///   11-11  3 forms: 1 draft withdrawn unsubmitted, 2 submitted that day: 1 accepted first time, 1 rejected (still) → not cleared, not closed
    ///   days: 2 of 4 cleared by the deadline = 50 %; forms due 14 − 1 = 13, submitted the same day 5+3+2+2 = 12 → 92.3077 %
    ///   timeliness (50 + 92.3077) / 2 = 71.1538 → 71.2; completeness: answered 11 + 2 = 13, accepted first time 11 → 84.6154 → 84.6
    ///   score 0.6 × 71.1538 + 0.4 × 84.6154 = 42.6923 + 33.8462 = 76.5385 → 76.5: good (75–90)
    /// Community B, two days: 10 + 10 forms all submitted the same day, both days closed in time; 19 accepted first time,
    ///   1 rejected once (then accepted): timeliness 100, completeness 19/20 = 95; score 60 + 38 = 98.0: excellent
    /// Community D: the same as B → 98.0, the same rank as B (1); A is then third.
    /// Community C: one day closed with no form → nothing to measure: not assessed, unranked.
    /// </summary>
    [Fact]
    public void A_fixture_month_of_communities_scores_as_worked_out_by_hand()
    {
        var closedInTime = (string day) => new DateTimeOffset(DateOnly.Parse(day).ToDateTime(new TimeOnly(20, 0)), Cst);
        var days = new List<CommunityDayFacts>
        {
            Day("A", "2026-11-02", forms: 5, sameDay: 5, later: 0, withdrawnUnsubmitted: 0, aft: 5, rejectedEver: 0, rejected: 0, closedAt: closedInTime("2026-11-02")),
            Day("A", "2026-11-03", forms: 4, sameDay: 3, later: 1, withdrawnUnsubmitted: 0, aft: 3, rejectedEver: 1, rejected: 0, closedAt: new DateTimeOffset(2026, 11, 4, 9, 0, 0, Cst)),
            Day("A", "2026-11-10", forms: 2, sameDay: 2, later: 0, withdrawnUnsubmitted: 0, aft: 2, rejectedEver: 0, rejected: 0, closedAt: closedInTime("2026-11-10")),
            Day("A", "2026-11-11", forms: 3, sameDay: 2, later: 0, withdrawnUnsubmitted: 1, aft: 1, rejectedEver: 1, rejected: 1, closedAt: null),
            Day("B", "2026-11-05", forms: 10, sameDay: 10, later: 0, withdrawnUnsubmitted: 0, aft: 10, rejectedEver: 0, rejected: 0, closedAt: closedInTime("2026-11-05")),
            Day("B", "2026-11-06", forms: 10, sameDay: 10, later: 0, withdrawnUnsubmitted: 0, aft: 9, rejectedEver: 1, rejected: 0, closedAt: closedInTime("2026-11-06")),
            Day("D", "2026-11-05", forms: 10, sameDay: 10, later: 0, withdrawnUnsubmitted: 0, aft: 10, rejectedEver: 0, rejected: 0, closedAt: closedInTime("2026-11-05")),
            Day("D", "2026-11-06", forms: 10, sameDay: 10, later: 0, withdrawnUnsubmitted: 0, aft: 9, rejectedEver: 1, rejected: 0, closedAt: closedInTime("2026-11-06")),
            Day("C", "2026-11-07", forms: 0, sameDay: 0, later: 0, withdrawnUnsubmitted: 0, aft: 0, rejectedEver: 0, rejected: 0, closedAt: closedInTime("2026-11-07")),
        };

        var results = days.GroupBy(d => d.CommunityCode).ToDictionary(g => g.Key, g => Assessment.Score(Assessment.Community(CommunityFigures.Sum(g)), Assessment.CommunityWeights));
        Assert.Equal(new Measures(71.2, 84.6, null), results["A"].Measures);
        Assert.Equal((76.5, "good"), (results["A"].Score!.Value, results["A"].Stage!.Code));
        Assert.Equal(new Measures(100.0, 95.0, null), results["B"].Measures);
        Assert.Equal((98.0, "excellent"), (results["B"].Score!.Value, results["B"].Stage!.Code));
        Assert.False(results["C"].Assessed);

        var ranked = Assessment.Rank(results, r => r.Value.Score, r => r.Key);
        Assert.Equal([("B", (int?)1), ("D", 1), ("A", 3), ("C", null)], ranked.Select(r => (r.Item.Key, r.Rank)));
    }

    /// <summary>
    /// Departments in November 2026, worked out by hand.
    ///
    /// health  11-02: received 10 — applied 8, rejected 1, held 1; dated 10, on time 9; delivered 20, acknowledged 20, in time 18
    ///         11-20: received 5 — applied 4, refused 1; dated 4, on time 4; delivered 10, acknowledged 8, in time 6, on its queue 2
    ///   timeliness 13/14 = 92.857143 → 92.9; completeness: decided (8+1) + (4+1) = 14, applied 12 → 85.714286 → 85.7
    ///   acknowledgement (18 + 6 + 2) / 30 = 86.666667 → 86.7
    ///   score 0.4 × 92.857143 + 0.3 × 85.714286 + 0.3 × 86.666667 = 37.142857 + 25.714286 + 26 = 88.857143 → 88.9: good
    /// police  11-15: delivered 10, acknowledged 3, all in time; supplies nothing → acknowledgement 30 alone: 30.0, weak (30 is its lower bound)
    /// civil   nothing → not assessed
    /// </summary>
    [Fact]
    public void A_fixture_month_of_departments_scores_as_worked_out_by_hand()
    {
        var health = DepartmentFigures.Sum(
        [
            new("health", "2026-11-02", Received: 10, Applied: 8, Rejected: 1, Refused: 0, Held: 1, Dismissed: 0, InProgress: 0, Dated: 10, OnTime: 9,
                Delivered: 20, Acknowledged: 20, AcknowledgedInTime: 18, AcknowledgedUntimed: 0),
            new("health", "2026-11-20", Received: 5, Applied: 4, Rejected: 0, Refused: 1, Held: 0, Dismissed: 0, InProgress: 0, Dated: 4, OnTime: 4,
                Delivered: 10, Acknowledged: 8, AcknowledgedInTime: 6, AcknowledgedUntimed: 2),
        ]);
        var police = DepartmentFigures.Sum([new("police", "2026-11-15", 0, 0, 0, 0, 0, 0, 0, 0, 0, Delivered: 10, Acknowledged: 3, AcknowledgedInTime: 3, AcknowledgedUntimed: 0)]);
        var civil = DepartmentFigures.Sum([]);

        Assert.Equal((14, 13, 14, 12, 30), (health.Dated, health.OnTime, health.Decided, health.Applied, health.Delivered));
        var h = Assessment.Score(Assessment.Department(health), Assessment.DepartmentWeights);
        Assert.Equal(new Measures(92.9, 85.7, 86.7), h.Measures);
        Assert.Equal((88.9, "good"), (h.Score!.Value, h.Stage!.Code));

        var p = Assessment.Score(Assessment.Department(police), Assessment.DepartmentWeights);
        Assert.Equal(new Measures(null, null, 30.0), p.Measures);
        Assert.Equal((30.0, 2), (p.Score!.Value, p.Stage!.Number));

        Assert.False(Assessment.Score(Assessment.Department(civil), Assessment.DepartmentWeights).Assessed);
    }

    private static CommunityDayFacts Day(string community, string day, int forms, int sameDay, int later, int withdrawnUnsubmitted, int aft, int rejectedEver, int rejected,
        DateTimeOffset? closedAt)
    {
        var date = DateOnly.Parse(day);
        var drafts = forms - sameDay - later - withdrawnUnsubmitted;
        return new(community, "S", day, forms, 0, sameDay, later, withdrawnUnsubmitted, drafts, 0, aft + (rejectedEver - rejected), aft, rejected, rejectedEver,
            withdrawnUnsubmitted, DayClearing.IsCleared(drafts, 0, rejected), closedAt, DayClearing.ClearedByDeadline(date, closedAt));
    }
}
