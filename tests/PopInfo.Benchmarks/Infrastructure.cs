using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace PopInfo.Benchmarks;

/// <summary>
/// The PostgreSQL server and RabbitMQ broker on loopback. Each run works in a database of its own and a
/// RabbitMQ virtual host of its own (so that other runs and test suites publishing to
/// <c>popinfo.person-changed</c> on the same broker neither disturb nor are disturbed), and removes both at the end.
/// </summary>
public sealed class Infrastructure(string postgres, Uri rabbitMq, Uri management) : IDisposable
{
    private readonly HttpClient managementHttp = CreateManagementClient(rabbitMq, management);

    public string Postgres { get; } = postgres;

    public Uri RabbitMq { get; } = rabbitMq;

    public static Infrastructure FromOptions(Options options) => new(
        options.Text("postgres", "Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo"),
        new Uri(options.Text("rabbitmq", "amqp://popinfo:popinfo@127.0.0.1:5672/")),
        new Uri(options.Text("rabbitmq-management", "http://127.0.0.1:15672/")));

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "popinfo_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Creates a virtual host that the broker user may use fully; returns the AMQP address of it.</summary>
    public async Task<Uri> CreateVirtualHostAsync()
    {
        var name = "popinfo-bench-" + Guid.NewGuid().ToString("N")[..8];
        (await managementHttp.PutAsJsonAsync($"api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(RabbitMq.UserInfo.Split(':')[0]);
        (await managementHttp.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new UriBuilder(RabbitMq) { Path = "/" + name }.Uri;
    }

    public async Task DeleteVirtualHostAsync(Uri virtualHost)
    {
        var name = virtualHost.AbsolutePath.TrimStart('/');
        using var response = await managementHttp.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}");
    }

    /// <summary>"PostgreSQL 15.x ..., RabbitMQ 3.x on Erlang y", or what could not be read.</summary>
    public async Task<string> VersionsAsync()
    {
        string pg;
        try
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT split_part(version(), ' on ', 1) || ', synchronous_commit=' || current_setting('synchronous_commit') || ', shared_buffers=' || current_setting('shared_buffers')", connection);
            pg = (string)(await command.ExecuteScalarAsync())!;
        }
        catch (Exception ex)
        {
            pg = "PostgreSQL unreachable: " + ex.Message;
        }

        string mq;
        try
        {
            var overview = JsonNode.Parse(await managementHttp.GetStringAsync("api/overview"))!;
            mq = $"RabbitMQ {(string?)overview["rabbitmq_version"]} on Erlang {(string?)overview["erlang_version"]}";
        }
        catch (Exception ex)
        {
            mq = "RabbitMQ management unreachable: " + ex.Message;
        }

        return $"{pg}; {mq}";
    }

    public void Dispose() => managementHttp.Dispose();

    private static HttpClient CreateManagementClient(Uri broker, Uri management)
    {
        var http = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(10) };
        var credentials = Uri.UnescapeDataString(broker.UserInfo);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }
}
