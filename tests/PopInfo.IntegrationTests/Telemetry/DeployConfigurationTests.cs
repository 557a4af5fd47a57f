using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PopInfo.Host;
using PopInfo.Testing;
using Xunit.Abstractions;

namespace PopInfo.IntegrationTests.Telemetry;

/// <summary>
/// What <c>deploy/</c> ships for metrics: the Prometheus scrape configuration passes <c>promtool check config</c> and
/// scrapes every service's port; every metric the Grafana dashboard queries is in what the services' <c>/metrics</c>
/// answer (a registry on PostgreSQL and RabbitMQ, the distributed mode, and the embedded host).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class DeployConfigurationTests(ITestOutputHelper output)
{
    private static string Deploy(params string[] parts) => Path.Combine([RepositoryRoot.Path, "deploy", .. parts]);

    /// <summary>
    /// promtool from Debian's <c>prometheus</c> package (test.sh installs it), or <c>POPINFO_PROMTOOL</c>. Missing, the
    /// test fails: the configuration would otherwise ship unchecked.
    /// </summary>
    private static string Promtool()
    {
        if (Environment.GetEnvironmentVariable("POPINFO_PROMTOOL") is { Length: > 0 } set)
        {
            return File.Exists(set) ? set : throw new InvalidOperationException($"POPINFO_PROMTOOL={set} is not a file.");
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "promtool")).FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            "promtool is not installed: `apt-get install -y --no-install-recommends prometheus` (test.sh does), or set POPINFO_PROMTOOL.");
    }

    [Fact]
    public async Task The_prometheus_configuration_passes_promtool_with_its_credential_file()
    {
        // The shipped file as it is, next to a credential file at the place it names (relative to the file: promtool
        // checks that it exists), in a folder of its own.
        var folder = Path.Combine(Path.GetTempPath(), "popinfo-promtool-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "secrets"));
        try
        {
            File.Copy(Deploy("prometheus", "prometheus.yml"), Path.Combine(folder, "prometheus.yml"));
            await File.WriteAllTextAsync(Path.Combine(folder, "secrets", "scrape-token"), TestSecrets.MetricsScrapeToken);
            var (code, text) = await RunAsync(Promtool(), "check", "config", Path.Combine(folder, "prometheus.yml"));
            output.WriteLine(text);
            Assert.True(code == 0, $"promtool check config: exit {code}\n{text}");
            Assert.Contains("SUCCESS", text, StringComparison.Ordinal);

            // Without the credential file the same configuration is refused: promtool did read the reference.
            File.Delete(Path.Combine(folder, "secrets", "scrape-token"));
            var (refused, why) = await RunAsync(Promtool(), "check", "config", Path.Combine(folder, "prometheus.yml"));
            Assert.True(refused != 0, why);
            Assert.Contains("secrets/scrape-token", why, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_prometheus_configuration_scrapes_every_service_at_its_port_with_the_credential_file()
    {
        var yaml = File.ReadAllText(Deploy("prometheus", "prometheus.yml"));
        var targets = TargetPattern().Matches(yaml).Select(m => (Port: int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture), Service: m.Groups["service"].Value)).ToList();
        var expected = EmbeddedPorts.Services.Select(s => (s.Port, Service: s.Name)).OrderBy(t => t.Port).ToList();
        Assert.Equal(expected, targets.OrderBy(t => t.Port).ToList());
        Assert.Contains("credentials_file: secrets/scrape-token", yaml, StringComparison.Ordinal);
    }

    [GeneratedRegex("""- targets: \["127\.0\.0\.1:(?<port>\d+)"\]\s+labels:\s+service: (?<service>[a-z]+)""")]
    private static partial Regex TargetPattern();

    [Fact]
    public async Task Every_metric_of_the_grafana_dashboard_is_in_the_services_metrics()
    {
        var queries = DashboardQueries(JsonNode.Parse(await File.ReadAllTextAsync(Deploy("grafana", "popinfo.json")))!);
        var wanted = queries.SelectMany(MetricNames).Where(n => !PrometheusOwn.Contains(n)).ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"{queries.Count} queries name {wanted.Count} metrics: {string.Join(", ", wanted.Order(StringComparer.Ordinal))}");
        Assert.NotEmpty(wanted);

        // The distributed mode: the registry on PostgreSQL and RabbitMQ; a person added is a change its relay
        // publishes, so the broker's, the database's and PopInfo's own instruments have measured something.
        await using var registry = await RegistryHost.OnPostgreSqlAsync();
        using var client = registry.CreateClient();
        var (status, household) = await client.PostAsync("/api/v1/households",
            new { commandId = Guid.NewGuid(), number = "H" + Guid.NewGuid().ToString("N")[..10], address = "东亭街道春华路1号", regionCode = People.Community });
        Assert.Equal(201, status);
        var person = People.Resident();
        person["householdId"] = (string)household["id"]!;
        person["relationshipToHead"] = "02";
        (status, _) = await client.PostAsync("/api/v1/persons", person);
        Assert.Equal(201, status);

        // Instruments appear when first measured (the relay's publish a moment after the request): poll the scrape.
        var clock = Stopwatch.StartNew();
        IReadOnlySet<string> exported;
        string text;
        while (true)
        {
            text = await Scrape.TextAsync(client);
            exported = Scrape.SampleNames(text);
            if (wanted.IsSubsetOf(exported) || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                break;
            }

            await Task.Delay(250);
        }

        var dump = Environment.GetEnvironmentVariable("POPINFO_METRICS_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            await File.WriteAllTextAsync(dump, text);
        }

        var missing = wanted.Except(exported).Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"the registry exports {exported.Count} sample names; after {clock.Elapsed.TotalSeconds:0.0} s {missing.Count} of the dashboard's are missing");
        Assert.True(missing.Count == 0, "The dashboard queries metrics the registry's /metrics does not export: " + string.Join(", ", missing));
    }

    /// <summary>Series Prometheus makes itself for each scrape, never in a <c>/metrics</c> answer.</summary>
    private static readonly HashSet<string> PrometheusOwn = new(StringComparer.Ordinal) { "up" };

    /// <summary>Every <c>expr</c> of the dashboard's targets, at any depth (panels, rows, templating).</summary>
    private static List<string> DashboardQueries(JsonNode node)
    {
        var found = new List<string>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if ((key == "expr" || key == "query") && value is JsonValue v && v.TryGetValue<string>(out var expr))
                        {
                            found.Add(expr);
                        }
                        else
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(node);
        return found;
    }

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    /// <summary>
    /// The metric names of a PromQL query: identifiers that are not functions or aggregations (followed by <c>(</c>),
    /// keywords, label names in <c>{…}</c>, <c>by (…)</c> or <c>without (…)</c>, strings, durations or Grafana variables.
    /// </summary>
    public static IEnumerable<string> MetricNames(string query)
    {
        var stripped = StringLiteral().Replace(query, "\"\"");
        stripped = LabelMatchers().Replace(stripped, "{}");
        stripped = Grouping().Replace(stripped, " ");
        stripped = Range().Replace(stripped, "[]");
        stripped = Variable().Replace(stripped, " ");
        return Identifier().Matches(stripped)
            .Where(m => !PromQlWords.Contains(m.Value) && !IsCall(stripped, m.Index + m.Length))
            .Select(m => m.Value);
    }

    private static bool IsCall(string text, int after)
    {
        while (after < text.Length && text[after] == ' ')
        {
            after++;
        }

        return after < text.Length && text[after] == '(';
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\$\{?\w+(?::\w+)?\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifier();

    private static async Task<(int Code, string Text)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
