using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Domain.Access;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.EndToEndTests;

/// <summary>
/// The README's <c>--demo</c> (here by its setting, with a small city): the embedded host loads a synthetic city into the
/// empty register before its services start, the analytics projection is built from it (also when an earlier start had
/// built it of the empty register), one account per role exists and is listed in a 0600 file — and a second start loads
/// nothing again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DemoModeTests
{
    private const int People = 2_000;

    [Fact]
    public async Task The_demo_loads_a_city_once_before_the_services_start_with_one_account_per_role_in_a_private_file()
    {
        var data = Path.Combine(Path.GetTempPath(), "popinfo-e2e-demo-" + Guid.NewGuid().ToString("N")[..8]);
        var loopback = ServiceProcess.SpareLoopbackAddress();
        var settings = new Dictionary<string, string>
        {
            ["PopInfo__Demo__Enabled"] = "true",
            ["PopInfo__Demo__People"] = People.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PopInfo__Analytics__RegistryUrl"] = $"http://{loopback}:5101/",
        };
        var file = Path.Combine(data, "demo-accounts.txt");
        try
        {
            // A start without the demo first: the analytics service builds its projection of the empty register (and keeps it).
            await using (var plain = ServiceProcess.EmbeddedHost(data, loopback, new Dictionary<string, string>(settings) { ["PopInfo__Demo__Enabled"] = "false" }))
            {
                await plain.StartAsync();
                Assert.Equal(0, (int)(await ProjectionBuiltAsync(loopback))["persons"]!);
                Assert.False(File.Exists(file));
            }

            (long Versions, int Persons) snapshot;
            string accountsText;
            await using (var first = ServiceProcess.EmbeddedHost(data, loopback, settings))
            {
                await first.StartAsync();
                using var registry = ServiceProcess.RegistryClient(new Uri($"http://{loopback}:5101/"));

                // The register holds the city: exactly the living people asked for, and more versions from their history.
                Assert.Equal(People, await LivingAsync(registry));
                snapshot = await SnapshotAsync(registry);
                Assert.True(snapshot.Persons > People, $"the history adds people who are no longer there: {snapshot.Persons}");
                Assert.True(snapshot.Versions > snapshot.Persons, $"and earlier versions: {snapshot.Versions}");

                // The analytics projection is built again from that register (a city comes without change-log entries): every
                // version of every person.
                var status = await ProjectionBuiltAsync(loopback, snapshot.Persons);
                Assert.Equal(snapshot.Versions, (long)status["versions"]!);
                Assert.Equal(snapshot.Persons, (int)status["persons"]!);
                Assert.Equal(0, (long)status["snapshotSequence"]!);

                // One account per role, in a file only its owner may read.
                Assert.True(File.Exists(file));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                accountsText = await File.ReadAllTextAsync(file);
                var lines = accountsText.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
                Assert.Equal(PlatformRoles.All, lines.Select(l => l[0]));
                Assert.Equal(["admin", "demo-collector", "demo-supervisor", "demo-planner", "demo-operator", "demo-auditor"], lines.Select(l => l[1]));
                Assert.All(lines, l => Assert.True(l[2].Length >= 10, $"{l[1]} has a password in the file"));

                // They exist at the provider, the collector in a community where people of the city live, the supervisor in its street.
                var accounts = await AccountsAsync(loopback);
                var collector = accounts.Single(a => (string)a["userName"]! == "demo-collector");
                var supervisor = accounts.Single(a => (string)a["userName"]! == "demo-supervisor");
                var community = (string)collector["regionCode"]!;
                Assert.Equal(lines[1][3], community);
                Assert.True(RegionCatalogue.Wuxi.TryGet(community, out var region) && region.Level == RegionLevel.Community);
                Assert.Equal(region.ParentCode, (string)supervisor["regionCode"]!);
                Assert.Contains(community, await LivingCommunitiesAsync(registry));
                Assert.Equal(PlatformRoles.All.Order(), accounts.Where(a => ((string)a["userName"]!).StartsWith("demo-", StringComparison.Ordinal) || (string)a["userName"]! == "admin")
                    .Select(a => (string)a["role"]!).Order());

                // The start page says where the file is.
                using var anonymous = new HttpClient();
                Assert.Contains(Path.GetFullPath(file), await anonymous.GetStringAsync($"http://{loopback}:5100/"), StringComparison.Ordinal);
            }

            // A second start finds the register full: nothing is loaded again, no account or password changes.
            await using (var second = ServiceProcess.EmbeddedHost(data, loopback, settings))
            {
                await second.StartAsync();
                using var registry = ServiceProcess.RegistryClient(new Uri($"http://{loopback}:5101/"));
                Assert.Equal(People, await LivingAsync(registry));
                Assert.Equal(snapshot, await SnapshotAsync(registry));
                Assert.Equal(accountsText, await File.ReadAllTextAsync(file));
                Assert.Equal(6, (await AccountsAsync(loopback)).Count);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    // The living population the registry counts by SQL, summed over its groups.
    private static async Task<long> LivingAsync(HttpClient registry)
    {
        var (status, body) = await registry.GetJsonAsync("api/v1/population-counts?asOf=2026-01-01");
        Assert.Equal(200, status);
        return body["counts"]!.AsArray().Sum(c => (long)c!["count"]!);
    }

    private static async Task<HashSet<string>> LivingCommunitiesAsync(HttpClient registry)
    {
        var (_, body) = await registry.GetJsonAsync("api/v1/population-counts?asOf=2026-01-01");
        return [.. body["counts"]!.AsArray().Select(c => (string)c!["region"]!)];
    }

    // Every version in the registry's snapshot, and the persons they belong to.
    private static async Task<(long Versions, int Persons)> SnapshotAsync(HttpClient registry)
    {
        var text = await registry.GetStringAsync("api/v1/snapshot?fields=status&history=true");
        var persons = new HashSet<string>();
        long versions = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.GetProperty("kind").GetString() == "version")
            {
                versions++;
                persons.Add(entry.RootElement.GetProperty("personId").GetString()!);
            }
        }

        return (versions, persons.Count);
    }

    // Polls the analytics service's status (a planner's scope) until its projection is built (holding that many persons).
    private static async Task<JsonObject> ProjectionBuiltAsync(System.Net.IPAddress loopback, int? persons = null)
    {
        using var analytics = new HttpClient();
        analytics.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.AnalyticsRead], subject: "e2e-planner", role: PlatformRoles.Planner));
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (code, status) = await analytics.GetJsonAsync($"http://{loopback}:5105/api/v1/projection/status");
            Assert.Equal(200, code);
            if ((bool)status["ready"]! && status["snapshotSequence"] is not null && (persons is null || (int)status["persons"]! == persons))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < until, "the analytics projection was not built within 60 s");
            await Task.Delay(200);
        }
    }

    private static async Task<List<JsonObject>> AccountsAsync(System.Net.IPAddress loopback)
    {
        using var provider = new HttpClient();
        provider.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.IdentityAdmin], subject: "e2e-admin", role: PlatformRoles.Admin));
        var accounts = JsonNode.Parse(await provider.GetStringAsync($"http://{loopback}:5107/api/v1/accounts"))!.AsArray();
        return [.. accounts.Select(a => a!.AsObject())];
    }
}
