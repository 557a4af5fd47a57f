using System.Diagnostics;
using System.Globalization;

namespace PopInfo.Benchmarks;

/// <summary>Timestamps (<see cref="Stopwatch"/> ticks) and the percentiles of a set of latencies in milliseconds.</summary>
public static class Latencies
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>"n 12000  p50 1.23  p90 …  p99 …  p99.9 …  max … ms" (nearest-rank percentiles), or "n 0".</summary>
    public static string Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return "n 0";
        }

        double P(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"n {sorted.Length,6}  p50 {P(50),7:0.00}  p90 {P(90),7:0.00}  p99 {P(99),7:0.00}  p99.9 {P(99.9),7:0.00}  max {sorted[^1],8:0.00}  mean {sorted.Average(),7:0.00} ms");
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
