using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace PopInfo.Testing;

/// <summary>
/// A PostgreSQL server and a RabbitMQ broker (with its management API) that tests and benchmarks work on: each test class
/// or benchmark run makes a database and a virtual host of its own here and removes them at the end, so that runs on the
/// same servers neither disturb nor are disturbed (the platform's queue and exchange names are the same in every run).
/// <see cref="TestInfrastructure"/> finds the tests' servers; the benchmarks name theirs.
/// </summary>
public class Servers(string postgres, Uri rabbitMq, Uri management, string namePrefix) : IDisposable
{
    /// <summary>The broker's management API as the servers' administrator (the broker URI's user).</summary>
    protected HttpClient ManagementHttp { get; } = CreateManagementClient(rabbitMq, management);

    /// <summary>The connection string of the server's maintenance database (the one made databases are made from).</summary>
    public string Postgres { get; } = postgres;

    /// <summary>The broker's AMQP address, its default virtual host, as the administrator.</summary>
    public Uri RabbitMq { get; } = rabbitMq;

    /// <summary>The broker's management API address.</summary>
    public Uri Management { get; } = management;

    /// <summary>Creates an empty database (<c>popinfo_{prefix}_…</c>) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"popinfo_{namePrefix}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Creates a virtual host (<c>popinfo-{prefix}-…</c>) the administrator may use fully; returns its AMQP address.</summary>
    public async Task<Uri> CreateVirtualHostAsync()
    {
        var name = $"popinfo-{namePrefix}-{Guid.NewGuid().ToString("N")[..10]}";
        (await ManagementHttp.PutAsJsonAsync($"api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(RabbitMq.UserInfo.Split(':')[0]);
        (await ManagementHttp.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new UriBuilder(RabbitMq) { Path = "/" + name }.Uri;
    }

    /// <summary>Deletes a virtual host made by <see cref="CreateVirtualHostAsync"/>, with its queues and exchanges.</summary>
    public async Task DeleteVirtualHostAsync(Uri virtualHost)
    {
        using var response = await ManagementHttp.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(virtualHost.AbsolutePath.TrimStart('/'))}");
    }

    /// <summary>A new client of the management API as the administrator; the caller disposes it.</summary>
    public HttpClient ManagementClient() => CreateManagementClient(RabbitMq, Management);

    public void Dispose()
    {
        ManagementHttp.Dispose();
        GC.SuppressFinalize(this);
    }

    private static HttpClient CreateManagementClient(Uri broker, Uri management)
    {
        var http = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = Uri.UnescapeDataString(broker.UserInfo);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }
}
