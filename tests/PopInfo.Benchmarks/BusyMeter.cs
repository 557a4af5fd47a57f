using System.Globalization;

namespace PopInfo.Benchmarks;

/// <summary>How busy the whole machine was during a phase, and which processes were busiest (the run's own and anybody else's).</summary>
public sealed class BusyMeter
{
    private readonly (long Busy, long Total) cpu = Machine.CpuTimes();
    private readonly Dictionary<int, (string Name, long Jiffies)> processes = Machine.ProcessTimes();
    private readonly long started = Latencies.Now;
    private readonly string loadBefore = Machine.LoadAverage();

    public string Report(int top = 6)
    {
        var elapsed = TimeSpan.FromSeconds(Latencies.Ms(started, Latencies.Now) / 1000);
        var busy = Machine.BusyPercent(cpu, Machine.CpuTimes());
        return string.Create(CultureInfo.InvariantCulture,
            $"  machine: {busy:0}% of {Environment.ProcessorCount} cores busy over {elapsed.TotalSeconds:0} s; before: {loadBefore}; after: {Machine.LoadAverage()}{Environment.NewLine}  busiest processes (% of one core):{Environment.NewLine}{Machine.BusiestProcesses(processes, Machine.ProcessTimes(), elapsed, top)}");
    }
}
