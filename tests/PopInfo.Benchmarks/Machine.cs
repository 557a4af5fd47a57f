using System.Globalization;

namespace PopInfo.Benchmarks;

/// <summary>What the machine is and how busy it was: /proc/cpuinfo, /proc/meminfo, /proc/loadavg, /proc/stat.</summary>
public static class Machine
{
    public static string Describe()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024.0:0.0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    public static string LoadAverage() => "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Busy and total jiffies of all processors since boot.</summary>
    public static (long Busy, long Total) CpuTimes()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }

    /// <summary>Share of all processors busy between two <see cref="CpuTimes"/> readings, 0–100 %.</summary>
    public static double BusyPercent((long Busy, long Total) before, (long Busy, long Total) after) =>
        after.Total == before.Total ? 0 : 100.0 * (after.Busy - before.Busy) / (after.Total - before.Total);

    /// <summary>Processor time (jiffies) of every process now, with a short name: diff two to see who was busy in between.</summary>
    public static Dictionary<int, (string Name, long Jiffies)> ProcessTimes()
    {
        var result = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                var jiffies = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                result[pid] = (cmdline.Length == 0 ? stat[(stat.IndexOf('(') + 1)..close] : Shorten(cmdline), jiffies);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return result;
    }

    /// <summary>
    /// The processes that used the most processor time between two snapshots, as % of one core. PostgreSQL
    /// backends are summed per database (a service with 100 pooled connections has 100 backend processes).
    /// </summary>
    public static string BusiestProcesses(Dictionary<int, (string Name, long Jiffies)> before, Dictionary<int, (string Name, long Jiffies)> after, TimeSpan elapsed, int count)
    {
        const double JiffiesPerSecond = 100; // USER_HZ on Linux
        var busiest = after
            .Select(p => (p.Key, Name: Group(p.Value.Name), Delta: p.Value.Jiffies - (before.TryGetValue(p.Key, out var b) ? b.Jiffies : 0)))
            .Where(p => p.Delta > 0)
            .GroupBy(p => p.Name.StartsWith("postgres backends", StringComparison.Ordinal) ? p.Name : $"pid {p.Key,-7} {p.Name}")
            .Select(g => (Name: g.Count() > 1 ? $"{g.Key} ({g.Count()} processes)" : g.Key, Delta: g.Sum(p => p.Delta)))
            .OrderByDescending(p => p.Delta)
            .Take(count)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"    {100 * p.Delta / JiffiesPerSecond / elapsed.TotalSeconds,6:0.0} %  {p.Name}"));
        var total = after.Sum(p => p.Value.Jiffies - (before.TryGetValue(p.Key, out var b) ? b.Jiffies : 0));
        return string.Join(Environment.NewLine, busiest) + string.Create(CultureInfo.InvariantCulture,
            $"{Environment.NewLine}    {100 * total / JiffiesPerSecond / elapsed.TotalSeconds,6:0.0} %  all processes alive at the end (the rest of the busy time: processes that ended meanwhile, and the kernel)");
    }

    // "postgres: 15/main: popinfo popinfo_bench_x 127.0.0.1(4242) idle" -> "postgres backends of database popinfo_bench_x".
    private static string Group(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 5 && parts[0] == "postgres:" && parts[1].EndsWith(':') && parts[4].Contains('(', StringComparison.Ordinal)
            ? $"postgres backends of database {parts[3]}"
            : name;
    }

    private static string Shorten(string cmdline)
    {
        // "dotnet /long/path/PopInfo.Registry.dll" -> "dotnet …/PopInfo.Registry.dll"; keep it on one short line.
        var parts = cmdline.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Length > 40 && p.Contains('/', StringComparison.Ordinal) ? "…/" + Path.GetFileName(p.TrimEnd('/')) : p);
        var text = string.Join(' ', parts);
        return text.Length > 110 ? text[..110] + "…" : text;
    }
}
