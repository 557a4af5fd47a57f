using System.Globalization;

namespace PopInfo.Benchmarks;

/// <summary>
/// The arguments after the command: <c>--name value</c>, or <c>--flag</c> alone. Every option read is
/// remembered with the value in force (given or default), so that a run prints its exact parameters.
/// </summary>
public sealed class Options
{
    private readonly Dictionary<string, List<string>> given = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value)> read = [];

    public Options(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    Add(name, "true");
                }

                name = arg[2..];
            }
            else if (name is not null)
            {
                Add(name, arg);
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}': options are --name value.");
            }
        }

        if (name is not null)
        {
            Add(name, "true");
        }
    }

    public string Text(string name, string fallback) => Remember(name, given.TryGetValue(name, out var v) ? v[^1] : fallback);

    public string? OptionalString(string name) => given.TryGetValue(name, out var v) ? Remember(name, v[^1]) : null;

    public int Whole(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public double Number(string name, double fallback) =>
        double.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public bool Flag(string name) => given.ContainsKey(name) && bool.Parse(Remember(name, given[name][^1]));

    /// <summary>A comma-separated list of integers, e.g. <c>--clients 1,4,16</c>.</summary>
    public IReadOnlyList<int> Ints(string name, string fallback) =>
        [.. Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    /// <summary>A comma-separated list of words.</summary>
    public IReadOnlyList<string> Words(string name, string fallback) =>
        Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every value of a repeatable option, e.g. <c>--env A=1 --env B=2</c>.</summary>
    public IReadOnlyList<string> All(string name)
    {
        var values = given.TryGetValue(name, out var v) ? v : [];
        foreach (var value in values)
        {
            Remember(name, value);
        }

        return values;
    }

    /// <summary>Refuses options that no part of the command read (a typo would otherwise silently use a default).</summary>
    public void RejectUnknown()
    {
        var unknown = given.Keys.Where(k => read.All(r => r.Name != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }

    /// <summary>The parameters in force, as a command line.</summary>
    public string Describe() => string.Join(' ', read.Distinct().Select(r =>
        r.Value == "true" ? $"--{r.Name}" : r.Value.Contains(' ', StringComparison.Ordinal) ? $"--{r.Name} \"{r.Value}\"" : $"--{r.Name} {r.Value}"));

    private void Add(string name, string value)
    {
        if (!given.TryGetValue(name, out var list))
        {
            given[name] = list = [];
        }

        list.Add(value);
    }

    private string Remember(string name, string value)
    {
        read.Add((name, value));
        return value;
    }
}
