using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// Which traces are recorded. Recording and exporting a span for every request, query and publish cost the registry
/// 40–110 % on its p99 at 200 changes/s (docs/benchmarks.md, issue 12); the platform's default is a head sampler that
/// keeps a fixed share of traces, whole.
/// </summary>
public static class TraceSampling
{
    /// <summary>The share of traces kept when nothing is configured: one in ten.</summary>
    public const double DefaultRatio = 0.1;

    /// <summary>
    /// The standard <c>OTEL_TRACES_SAMPLER</c> (always_on, parentbased_traceidratio, …) when set: the OpenTelemetry SDK reads
    /// it and this returns null. Otherwise the platform's sampler (<see cref="ForRatio"/>) at <c>OTEL_TRACES_SAMPLER_ARG</c>,
    /// or <see cref="DefaultRatio"/>.
    /// </summary>
    public static Sampler? FromConfiguration(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]))
        {
            return null;
        }

        var text = configuration["OTEL_TRACES_SAMPLER_ARG"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return ForRatio(DefaultRatio);
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || double.IsNaN(ratio) || ratio < 0 || ratio > 1)
        {
            throw new InvalidOperationException($"OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (the share of traces kept), not '{text}'.");
        }

        return ForRatio(ratio);
    }

    /// <summary>
    /// A span inside this process follows its parent, so a trace is kept or dropped whole. A trace this process starts,
    /// and a parent that arrived from elsewhere (an HTTP header, a message, a stored outbox row), are decided by the
    /// trace id's ratio sampler: deterministic on the id, so every PopInfo service at the same ratio takes the same
    /// decision for one trace, and a caller's "sampled" flag cannot make the platform record more than its share.
    /// </summary>
    public static Sampler ForRatio(double ratio)
    {
        var byTraceId = new TraceIdRatioBasedSampler(ratio);
        return new ParentBasedSampler(byTraceId, remoteParentSampled: byTraceId, remoteParentNotSampled: byTraceId,
            localParentSampled: new AlwaysOnSampler(), localParentNotSampled: new AlwaysOffSampler());
    }
}
