using System.Text.Json.Nodes;
using Npgsql;

namespace PopInfo.Benchmarks;

/// <summary>
/// The PostgreSQL server and RabbitMQ broker on loopback that a benchmark names (--postgres, --rabbitmq,
/// --rabbitmq-management): each run makes a database and a virtual host of its own (PopInfo.Testing's
/// <see cref="Servers"/>) and removes both at the end.
/// </summary>
public sealed class Infrastructure(string postgres, Uri rabbitMq, Uri management) : Servers(postgres, rabbitMq, management, "bench")
{
    public static Infrastructure FromOptions(Options options) => new(
        options.Text("postgres", "Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo"),
        new Uri(options.Text("rabbitmq", "amqp://popinfo:popinfo@127.0.0.1:5672/")),
        new Uri(options.Text("rabbitmq-management", "http://127.0.0.1:15672/")));

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
            var overview = JsonNode.Parse(await ManagementHttp.GetStringAsync("api/overview"))!;
            mq = $"RabbitMQ {(string?)overview["rabbitmq_version"]} on Erlang {(string?)overview["erlang_version"]}";
        }
        catch (Exception ex)
        {
            mq = "RabbitMQ management unreachable: " + ex.Message;
        }

        return $"{pg}; {mq}";
    }
}
