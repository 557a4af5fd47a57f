using DotNet.Testcontainers.Configurations;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace PopInfo.Testing;

/// <summary>
/// Where the real PostgreSQL server and RabbitMQ broker of the tests are. With a Docker engine,
/// Testcontainers starts them; without one (these machines), the servers that test.sh started on
/// loopback are used (POPINFO_TEST_POSTGRES, POPINFO_TEST_RABBITMQ). If neither answers, the tests
/// fail — they are never skipped.
/// </summary>
public static class TestInfrastructure
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Servers? servers;

    public static bool DockerAvailable => TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;

    public static async Task<string> PostgresAsync() => (await ServersAsync()).Postgres;

    public static async Task<Uri> RabbitMqAsync() => (await ServersAsync()).RabbitMq;

    /// <summary>Creates an empty database of its own for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync() => await (await ServersAsync()).CreateDatabaseAsync();

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public static async Task DropDatabaseAsync(string connectionString) => await (await ServersAsync()).DropDatabaseAsync(connectionString);

    /// <summary>
    /// Creates a RabbitMQ virtual host of its own for one test class (through the management API) and
    /// returns its AMQP address: services that consume the same queue names then never take each other's messages.
    /// </summary>
    public static async Task<Uri> CreateVirtualHostAsync() => await (await ServersAsync()).CreateVirtualHostAsync();

    public static async Task DeleteVirtualHostAsync(Uri virtualHost) => await (await ServersAsync()).DeleteVirtualHostAsync(virtualHost);

    /// <summary>The broker's management API as the test server's administrator (a new client: the caller disposes it).</summary>
    public static async Task<HttpClient> ManagementClientAsync() => (await ServersAsync()).ManagementClient();

    /// <summary>The broker's management API address.</summary>
    public static async Task<Uri> RabbitMqManagementAsync() => (await ServersAsync()).Management;

    /// <summary>The tests' servers, found (or started) once per process.</summary>
    public static async Task<Servers> ServersAsync()
    {
        await EnsureStartedAsync();
        return servers!;
    }

    private static async Task EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (servers is not null)
            {
                return;
            }

            if (DockerAvailable)
            {
                var pg = new PostgreSqlBuilder("postgres:15").Build();
                var mq = new RabbitMqBuilder("rabbitmq:3.10-management").Build();
                await Task.WhenAll(pg.StartAsync(), mq.StartAsync());
                servers = new Servers(pg.GetConnectionString(), new Uri(mq.GetConnectionString()), new Uri($"http://{mq.Hostname}:{mq.GetMappedPublicPort(15672)}/"), "test");
                return;
            }

            var pgSetting = Environment.GetEnvironmentVariable("POPINFO_TEST_POSTGRES")
                ?? "Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo";
            var mqSetting = new Uri(Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ") ?? "amqp://popinfo:popinfo@127.0.0.1:5672/");
            await ProbePostgresAsync(pgSetting);
            await ProbeRabbitMqAsync(mqSetting);
            servers = new Servers(pgSetting, mqSetting, new Uri(Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672/"), "test");
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// A database of <see cref="CreateDatabaseAsync"/> as the streaming replica of the tests' server serves it
    /// (POPINFO_TEST_POSTGRES_REPLICA, which test.sh starts: docs/database-replica.md), once the replica has replayed its
    /// creation. Without a replica the tests that need one fail, never skip.
    /// </summary>
    public static async Task<string> ReplicaOfAsync(string database)
    {
        var setting = Environment.GetEnvironmentVariable("POPINFO_TEST_POSTGRES_REPLICA")
            ?? throw new InvalidOperationException("POPINFO_TEST_POSTGRES_REPLICA is not set: run the tests with ./test.sh, which starts the replica.");
        var primary = new NpgsqlConnectionStringBuilder(database);
        var replica = new NpgsqlConnectionStringBuilder(setting) { Database = primary.Database, Username = primary.Username, Password = primary.Password }.ConnectionString;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(replica) { Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                return replica;
            }
            catch (PostgresException e) when (e.SqlState == "3D000" && DateTime.UtcNow < deadline)
            {
                // The database is not replayed yet.
                await Task.Delay(100);
            }
        }
    }

    private static async Task ProbePostgresAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"No Docker engine and no PostgreSQL at POPINFO_TEST_POSTGRES ({Redact(connectionString)}): run the tests with ./test.sh, which starts it. {ex.Message}", ex);
        }
    }

    private static async Task ProbeRabbitMqAsync(Uri uri)
    {
        try
        {
            var factory = new RabbitMQ.Client.ConnectionFactory { Uri = uri };
            await using var connection = await factory.CreateConnectionAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"No Docker engine and no RabbitMQ at POPINFO_TEST_RABBITMQ ({uri.Host}:{uri.Port}): run the tests with ./test.sh, which starts it. {ex.Message}", ex);
        }
    }

    private static string Redact(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString;
}
