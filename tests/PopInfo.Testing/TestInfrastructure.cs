using System.Net.Http.Json;
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
    private static string? postgres;
    private static Uri? rabbitMq;
    private static Uri? rabbitMqManagement;

    public static bool DockerAvailable => TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;

    public static async Task<string> PostgresAsync()
    {
        await EnsureStartedAsync();
        return postgres!;
    }

    public static async Task<Uri> RabbitMqAsync()
    {
        await EnsureStartedAsync();
        return rabbitMq!;
    }

    /// <summary>Creates an empty database of its own for one test class and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresAsync();
        var name = "popinfo_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(await PostgresAsync());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Creates a RabbitMQ virtual host of its own for one test class (through the management API) and
    /// returns its AMQP address: services that consume the same queue names then never take each other's messages.
    /// </summary>
    public static async Task<Uri> CreateVirtualHostAsync()
    {
        var broker = await RabbitMqAsync();
        var name = "popinfo-test-" + Guid.NewGuid().ToString("N")[..10];
        using var http = ManagementClient(broker);
        (await http.PutAsJsonAsync($"api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(broker.UserInfo.Split(':')[0]);
        (await http.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new UriBuilder(broker) { Path = "/" + name }.Uri;
    }

    public static async Task DeleteVirtualHostAsync(Uri virtualHost)
    {
        using var http = ManagementClient(await RabbitMqAsync());
        using var response = await http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(virtualHost.AbsolutePath.TrimStart('/'))}");
    }

    /// <summary>The broker's management API as the test server's administrator.</summary>
    public static async Task<HttpClient> ManagementClientAsync() => ManagementClient(await RabbitMqAsync());

    /// <summary>The broker's management API address.</summary>
    public static async Task<Uri> RabbitMqManagementAsync()
    {
        await EnsureStartedAsync();
        return rabbitMqManagement!;
    }

    private static HttpClient ManagementClient(Uri broker)
    {
        var http = new HttpClient { BaseAddress = rabbitMqManagement };
        var credentials = Uri.UnescapeDataString(broker.UserInfo);
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        return http;
    }

    private static async Task EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (postgres is not null)
            {
                return;
            }

            if (DockerAvailable)
            {
                var pg = new PostgreSqlBuilder("postgres:15").Build();
                var mq = new RabbitMqBuilder("rabbitmq:3.10-management").Build();
                await Task.WhenAll(pg.StartAsync(), mq.StartAsync());
                postgres = pg.GetConnectionString();
                rabbitMq = new Uri(mq.GetConnectionString());
                rabbitMqManagement = new Uri($"http://{mq.Hostname}:{mq.GetMappedPublicPort(15672)}/");
                return;
            }

            var pgSetting = Environment.GetEnvironmentVariable("POPINFO_TEST_POSTGRES")
                ?? "Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo";
            var mqSetting = new Uri(Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ") ?? "amqp://popinfo:popinfo@127.0.0.1:5672/");
            await ProbePostgresAsync(pgSetting);
            await ProbeRabbitMqAsync(mqSetting);
            postgres = pgSetting;
            rabbitMq = mqSetting;
            rabbitMqManagement = new Uri(Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672/");
        }
        finally
        {
            Gate.Release();
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
