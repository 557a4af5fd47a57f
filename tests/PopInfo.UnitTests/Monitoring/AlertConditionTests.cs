using PopInfo.Domain.Monitoring;

namespace PopInfo.UnitTests.Monitoring;

public sealed class AlertConditionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(45);

    private static SamplePoint At(int secondsAgo, double value) => new(Now.AddSeconds(-secondsAgo), value);

    [Theory]
    [InlineData("above", 10, 11, true)]
    [InlineData("above", 10, 10, false)]
    [InlineData("below", 1, 0, true)]
    [InlineData("below", 1, 1, false)]
    public void A_comparison_is_strict(string comparison, double threshold, double value, bool holds) =>
        Assert.Equal(holds, AlertComparison.Holds(comparison, threshold, value));

    [Fact]
    public void An_unknown_comparison_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertComparison.Holds("equal", 1, 1));

    [Fact]
    public void No_samples_is_unknown_and_does_not_hold()
    {
        var state = AlertCondition.Evaluate([], "above", 0, Now, Stale);
        Assert.False(state.Known);
        Assert.False(state.Holds);
    }

    [Fact]
    public void The_run_of_samples_meeting_the_condition_gives_since_when_it_held()
    {
        // Lag 100, 700, 800, 900 seconds at 60, 45, 30, 15 s ago: above 600 since the sample 45 s ago.
        var state = AlertCondition.Evaluate([At(15, 900), At(60, 100), At(30, 800), At(45, 700)], "above", 600, Now, Stale);
        Assert.True(state.Known);
        Assert.True(state.Holds);
        Assert.Equal(Now.AddSeconds(-45), state.HeldSince);
        Assert.Equal(900, state.LastValue);
        Assert.True(state.HasHeldFor(TimeSpan.FromSeconds(45), Now));
        Assert.False(state.HasHeldFor(TimeSpan.FromSeconds(46), Now));
    }

    [Fact]
    public void A_latest_sample_not_meeting_the_condition_means_it_does_not_hold()
    {
        var state = AlertCondition.Evaluate([At(30, 900), At(15, 10)], "above", 600, Now, Stale);
        Assert.True(state.Known);
        Assert.False(state.Holds);
        Assert.Null(state.HeldSince);
        Assert.False(state.HasHeldFor(TimeSpan.Zero, Now));
    }

    [Fact]
    public void A_gap_in_the_samples_does_not_break_the_run()
    {
        // The monitoring service was down between 600 s and 20 s ago; before and after, the condition held.
        var state = AlertCondition.Evaluate([At(620, 0), At(610, 0), At(600, 0), At(20, 0), At(5, 0)], "below", 1, Now, Stale);
        Assert.Equal(Now.AddSeconds(-620), state.HeldSince);
        Assert.True(state.HasHeldFor(TimeSpan.FromMinutes(10), Now));
    }

    [Fact]
    public void A_stale_latest_sample_is_unknown_not_recovery()
    {
        var state = AlertCondition.Evaluate([At(120, 900), At(100, 900)], "above", 600, Now, Stale);
        Assert.False(state.Known);
        Assert.False(state.Holds);
        Assert.Equal(900, state.LastValue);
    }

    [Fact]
    public void Samples_after_now_are_not_seen()
    {
        var state = AlertCondition.Evaluate([At(10, 900), At(-10, 0)], "above", 600, Now, Stale);
        Assert.True(state.Holds);
        Assert.Equal(900, state.LastValue);
    }

    [Fact]
    public void A_zero_duration_fires_on_the_first_sample_meeting_the_condition()
    {
        var state = AlertCondition.Evaluate([At(3, 1)], "above", 0, Now, Stale);
        Assert.True(state.HasHeldFor(TimeSpan.Zero, Now));
    }
}

public sealed class AlertRuleLimitsTests
{
    private static IReadOnlyList<AlertRuleOffence> Check(string? code = "department-lag", string? metric = "m", string? comparison = "above",
        double? threshold = 600, int? duration = 120, string? severity = "warning", string? description = "Lag.") =>
        AlertRuleLimits.Check(code, metric, comparison, threshold, duration, severity, description, m => m == "m");

    [Fact]
    public void A_sound_rule_has_no_offence() => Assert.Empty(Check());

    [Theory]
    [InlineData("Dept", "code", "code.format")]
    [InlineData("1lag", "code", "code.format")]
    [InlineData("ab", "code", "code.format")]
    [InlineData("lag_1", "code", "code.format")]
    public void A_code_out_of_form_is_named(string code, string field, string rule) =>
        Assert.Equal((field, rule), Check(code: code).Select(o => (o.Field, o.Rule)).Single());

    [Fact]
    public void Each_bad_setting_is_named_by_field_and_rule()
    {
        var offences = Check(metric: "other", comparison: "equal", threshold: double.NaN, duration: AlertRuleLimits.MaxDurationSeconds + 1, severity: "info",
            description: " ");
        Assert.Equal(
            [("metric", "metric.known"), ("comparison", "comparison.known"), ("threshold", "threshold.number"), ("durationSeconds", "range"),
             ("severity", "severity.known"), ("description", "length")],
            offences.Select(o => (o.Field, o.Rule)));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(86_400, true)]
    [InlineData(-1, false)]
    public void The_duration_is_zero_to_a_day(int duration, bool sound) => Assert.Equal(sound, Check(duration: duration).Count == 0);
}
