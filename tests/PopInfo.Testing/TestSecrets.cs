using System.Security.Cryptography;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Testing;

/// <summary>
/// The master key of stored secrets (<c>PopInfo:Secrets:KeyFile</c>) for the test run: one file, 0600, shared by
/// every host the tests start, as every instance of a service shares its key file in production (on PostgreSQL a
/// service refuses to start without one). <see cref="TestIssuer.Settings"/> carries it to every host.
/// </summary>
public static class TestSecrets
{
    private static readonly Lazy<string> SharedKeyFile = new(() => NewKeyFile());

    /// <summary>The run's key file.</summary>
    public static string KeyFile => SharedKeyFile.Value;

    /// <summary>A key file of its own (another master key), in a fresh 0700 folder.</summary>
    public static string NewKeyFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "popinfo-secrets-" + Guid.NewGuid().ToString("N")[..12]);
        PrivateFiles.CreateFolder(folder);
        var path = Path.Combine(folder, "master.key");
        PrivateFiles.WriteSecretAsync(folder, "master.key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), CancellationToken.None)
            .GetAwaiter().GetResult();
        return path;
    }

    /// <summary>The scrape credential of <c>/metrics</c> (<see cref="MetricsEndpoint"/>) in every host the tests start.</summary>
    public static string MetricsScrapeToken { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> Settings() => new() { [MasterKey.Setting] = KeyFile, [MetricsEndpoint.ScrapeTokenKey] = MetricsScrapeToken };
}
