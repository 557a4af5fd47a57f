using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using PopInfo.Registry;

namespace PopInfo.Testing;

/// <summary>The registry service in-process over HTTP, on a real database and bus of the test's choosing.</summary>
public sealed class RegistryHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<RegistryEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in WithTestDefaults(settings))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the registry with these settings (and the tests' defaults), which must refuse: why it did (<see cref="StartRefusal"/>).</summary>
    public static Task<Exception> StartFailureAsync(IReadOnlyDictionary<string, string?> settings) =>
        StartRefusal.OfAsync(typeof(RegistryEntryPoint).Assembly, WithTestDefaults(settings));

    private static Dictionary<string, string?> WithTestDefaults(IReadOnlyDictionary<string, string?> settings)
    {
        var all = TestIssuer.Shared.Settings();
        foreach (var (key, value) in TestRateLimits.Generous.Concat(settings))
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>Clients act as a platform service with both of the register's scopes (<see cref="TestIssuer.RegistryToken"/>).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestIssuer.Shared.RegistryToken());
    }

    /// <summary>A client with no token at all.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>PostgreSQL in a database of its own, RabbitMQ as the bus: the distributed mode.</summary>
    public static async Task<RegistryHost> OnPostgreSqlAsync()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var broker = await TestInfrastructure.RabbitMqAsync();
        return new RegistryHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "PostgreSql",
            ["PopInfo:Database:ConnectionString"] = database,
            ["PopInfo:Database:AllowSuperuser"] = "true",
            ["PopInfo:Bus:Transport"] = "RabbitMq",
            ["PopInfo:Bus:RabbitMqUri"] = broker.ToString(),
        })
        { DatabaseConnectionString = database };
    }

    /// <summary>
    /// The distributed mode on a given database and broker virtual host (several services sharing them), as the
    /// test server's superuser (development's <c>AllowSuperuser</c>); <see cref="ServiceRoles"/> gives a service its own roles.
    /// </summary>
    public static Dictionary<string, string?> DistributedSettings(string database, Uri virtualHost) => new()
    {
        ["PopInfo:Database:Provider"] = "PostgreSql",
        ["PopInfo:Database:ConnectionString"] = database,
        ["PopInfo:Database:AllowSuperuser"] = "true",
        ["PopInfo:Bus:Transport"] = "RabbitMq",
        ["PopInfo:Bus:RabbitMqUri"] = virtualHost.ToString(),
    };

    /// <summary>SQLite in a fresh folder and the in-memory bus: the embedded mode.</summary>
    public static RegistryHost OnSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "popinfo-test-" + Guid.NewGuid().ToString("N")[..12]);
        return new RegistryHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "Sqlite",
            ["PopInfo:Database:DataDirectory"] = folder,
            ["PopInfo:Bus:Transport"] = "InMemory",
        });
    }

    /// <summary>The PostgreSQL database of this host, when it has one.</summary>
    public string? DatabaseConnectionString { get; private init; }
}
