using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using PopInfo.ServiceDefaults;

namespace PopInfo.UnitTests.Tracing;

public sealed class TraceSamplingTests
{
    // The ratio sampler decides on the trace id's first eight bytes: these two are kept and dropped at any ratio in (0, 1).
    private static readonly ActivityTraceId Kept = ActivityTraceId.CreateFromString("0000000000000001aaaaaaaaaaaaaaaa");
    private static readonly ActivityTraceId Dropped = ActivityTraceId.CreateFromString("7fffffffffffffffaaaaaaaaaaaaaaaa");

    private static SamplingDecision Decide(Sampler sampler, ActivityTraceId traceId, ActivityContext parent) =>
        sampler.ShouldSample(new SamplingParameters(parent, traceId, "span", ActivityKind.Internal)).Decision;

    private static ActivityContext Parent(ActivityTraceId traceId, bool sampled, bool remote) =>
        new(traceId, ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote);

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void A_root_is_kept_or_dropped_by_its_trace_id()
    {
        var sampler = TraceSampling.ForRatio(0.1);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Kept, default));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Dropped, default));
    }

    [Fact]
    public void A_span_follows_its_parent_in_the_same_process_whatever_its_id()
    {
        var sampler = TraceSampling.ForRatio(0.1);
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Dropped, Parent(Dropped, sampled: true, remote: false)));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Kept, Parent(Kept, sampled: false, remote: false)));
    }

    [Fact]
    public void A_callers_sampled_flag_does_not_make_the_platform_keep_a_trace_its_id_drops()
    {
        var sampler = TraceSampling.ForRatio(0.1);
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Dropped, Parent(Dropped, sampled: true, remote: true)));
        // The same id decides the same at every service: a trace kept at the desk is kept at the registry, flag or not.
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, Kept, Parent(Kept, sampled: false, remote: true)));
    }

    [Fact]
    public void At_ratio_one_every_trace_is_kept_and_at_zero_none()
    {
        var random = ActivityTraceId.CreateRandom();
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(TraceSampling.ForRatio(1), random, default));
        Assert.Equal(SamplingDecision.Drop, Decide(TraceSampling.ForRatio(0), Kept, default));
    }

    [Fact]
    public void Unconfigured_the_platform_keeps_one_trace_in_ten()
    {
        var sampler = TraceSampling.FromConfiguration(Settings())!;
        Assert.Contains("0.1", sampler.Description, StringComparison.Ordinal);
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, Dropped, default));
    }

    [Fact]
    public void The_sampler_argument_sets_the_ratio()
    {
        var sampler = TraceSampling.FromConfiguration(Settings(("OTEL_TRACES_SAMPLER_ARG", "0.25")))!;
        Assert.Contains("0.25", sampler.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_standard_sampler_setting_is_left_to_the_sdk()
    {
        Assert.Null(TraceSampling.FromConfiguration(Settings(("OTEL_TRACES_SAMPLER", "always_on"))));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("ten")]
    [InlineData("NaN")]
    public void A_ratio_outside_zero_to_one_stops_the_start(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TraceSampling.FromConfiguration(Settings(("OTEL_TRACES_SAMPLER_ARG", value))));
        Assert.Contains("OTEL_TRACES_SAMPLER_ARG", error.Message, StringComparison.Ordinal);
    }
}
