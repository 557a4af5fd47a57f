using System.Globalization;
using PopInfo.SyntheticCity.Generation;
using PopInfo.SyntheticCity.Loading;

namespace PopInfo.SyntheticCity.Cli;

internal enum Verb
{
    Help,
    Load,
    Stats,
}

/// <summary>A parsed command line: the verb and its settings, or the first error found.</summary>
internal sealed record CommandLine(Verb Verb, LoadSettings? Settings, string? Error)
{
    public const long MaxPeople = 50_000_000;

    private static readonly HashSet<string> Flags = ["--baseline", "--replace", "--keep-indexes", "--quiet", "--no-history"];
    private static readonly HashSet<string> Valued = ["--people", "--seed", "--as-of", "--provider", "--connection", "--data-dir", "--connections"];

    /// <summary>
    /// Parses <c>VERB [--option value | --flag]…</c>. Options may also be written <c>--option=value</c>.
    /// Every mistake is reported by name, with what was expected, rather than guessed around.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            return new CommandLine(Verb.Help, null, null);
        }

        Verb verb;
        switch (args[0])
        {
            case "load":
                verb = Verb.Load;
                break;
            case "stats":
                verb = Verb.Stats;
                break;
            default:
                return Fail($"Unknown command '{args[0]}'. Use 'load' or 'stats' (or 'help').");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            if (Flags.Contains(name))
            {
                if (eq > 0)
                {
                    return Fail($"{name} takes no value.");
                }

                flags.Add(name);
            }
            else if (Valued.Contains(name))
            {
                string value;
                if (eq > 0)
                {
                    value = arg[(eq + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                else
                {
                    return Fail($"{name} needs a value.");
                }

                if (!values.TryAdd(name, value))
                {
                    return Fail($"{name} is given twice.");
                }
            }
            else
            {
                return Fail($"Unknown option '{arg}'.");
            }
        }

        return Build(verb, values, flags);
    }

    private static CommandLine Build(Verb verb, Dictionary<string, string> values, HashSet<string> flags)
    {
        if (!values.TryGetValue("--people", out var peopleText))
        {
            return Fail("--people is required: how many people the city has (the full city of Wuxi is 7500000).");
        }

        if (!long.TryParse(peopleText.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var people)
            || people < 1 || people > MaxPeople)
        {
            return Fail($"--people must be a whole number from 1 to {MaxPeople}, not '{peopleText}'.");
        }

        var seed = 42UL;
        if (values.TryGetValue("--seed", out var seedText) && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            return Fail($"--seed must be a whole number from 0 to {ulong.MaxValue}, not '{seedText}'.");
        }

        var asOf = CitySpec.DefaultAsOf;
        if (values.TryGetValue("--as-of", out var asOfText))
        {
            if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
            {
                return Fail($"--as-of must be a date written yyyy-MM-dd, not '{asOfText}'.");
            }

            if (asOf > DateOnly.FromDateTime(DateTime.UtcNow) || asOf.Year < 2000)
            {
                return Fail($"--as-of must lie between 2000-01-01 and today: the register refuses birth and arrival dates in the future.");
            }
        }

        var history = !flags.Contains("--no-history");
        if (history && asOf <= CityHistory.CensusDate)
        {
            return Fail($"The history runs from the census ({CityHistory.CensusDate:yyyy-MM-dd}) to --as-of: give a later --as-of, or --no-history.");
        }

        var city = new CitySpec(seed, people, asOf, history);
        if (verb == Verb.Stats)
        {
            return new CommandLine(verb, new LoadSettings(city, Provider.Sqlite, null, "data", false, false, false, flags.Contains("--quiet")), null);
        }

        if (!values.TryGetValue("--provider", out var providerText))
        {
            return Fail("--provider is required: PostgreSql or Sqlite.");
        }

        Provider provider;
        if (string.Equals(providerText, "PostgreSql", StringComparison.OrdinalIgnoreCase))
        {
            provider = Provider.PostgreSql;
        }
        else if (string.Equals(providerText, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            provider = Provider.Sqlite;
        }
        else
        {
            return Fail($"--provider must be PostgreSql or Sqlite, not '{providerText}'.");
        }

        values.TryGetValue("--connection", out var connection);
        if (provider == Provider.PostgreSql && string.IsNullOrWhiteSpace(connection))
        {
            return Fail("--connection is required with --provider PostgreSql, e.g. \"Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo\".");
        }

        if (provider == Provider.Sqlite && connection is not null)
        {
            return Fail("--connection is for PostgreSql; with Sqlite give --data-dir (default ./data).");
        }

        if (provider == Provider.PostgreSql && values.ContainsKey("--data-dir"))
        {
            return Fail("--data-dir is for Sqlite; with PostgreSql give --connection.");
        }

        foreach (var option in new[] { "--baseline", "--keep-indexes", "--connections" })
        {
            if (provider == Provider.Sqlite && (flags.Contains(option) || values.ContainsKey(option)))
            {
                return Fail($"{option} applies to PostgreSql only.");
            }
        }

        var connections = LoadSettings.DefaultConnections;
        if (values.TryGetValue("--connections", out var connectionsText)
            && (!int.TryParse(connectionsText, NumberStyles.None, CultureInfo.InvariantCulture, out connections) || connections is < 1 or > 8))
        {
            return Fail($"--connections must be a whole number from 1 to 8, not '{connectionsText}'.");
        }

        var settings = new LoadSettings(
            city,
            provider,
            connection,
            values.GetValueOrDefault("--data-dir", "data"),
            Replace: flags.Contains("--replace"),
            KeepIndexes: flags.Contains("--keep-indexes"),
            Baseline: flags.Contains("--baseline"),
            Quiet: flags.Contains("--quiet"),
            Connections: connections);
        return new CommandLine(verb, settings, null);
    }

    private static CommandLine Fail(string error) => new(Verb.Help, null, error);
}
