using Npgsql;
using PopInfo.Testing;
using RabbitMQ.Client;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>A backlog larger than one round of the AMQP relay reaches each department's queue exactly once.</summary>
public sealed class BacklogTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Fact]
    public async Task A_backlog_of_thousands_of_events_reaches_every_queue_once_and_in_order()
    {
        // Three departments with 1,500 events each, written straight into the exchange's table (as if the exchange
        // had projected them while the broker was away): 4,500 messages, several rounds and confirm windows of the
        // relay. (On a quiet machine this does not reproduce benchmark run 3's refused publishes: confirms come back
        // faster than 2,048 pile up; it checks that rounds and windows neither lose, repeat nor reorder.)
        const int perDepartment = 1500;
        var departments = new List<TestDepartment>();
        for (var i = 0; i < 3; i++)
        {
            departments.Add(await fixture.CreateDepartmentAsync("backlog"));
        }

        await using (var connection = new NpgsqlConnection(fixture.Desk.Database))
        {
            await connection.OpenAsync();
            foreach (var department in departments)
            {
                await using var seed = new NpgsqlCommand(
                    """
                    INSERT INTO exchange.deliveries (department_code, sequence, registry_sequence, subscription_id, person_id, event_type, event, created_at)
                    SELECT @code, n, 1000000 + n, gen_random_uuid(), gen_random_uuid(), 'cn.popinfo.person.born.v1',
                           '{"specversion":"1.0","id":"' || @code || '-' || n || '","sequence":"' || lpad(n::text, 20, '0') || '"}', now()
                    FROM generate_series(1, @count) AS n;
                    UPDATE exchange.departments SET last_sequence = @count WHERE code = @code;
                    """, connection);
                seed.Parameters.AddWithValue("code", department.Code);
                seed.Parameters.AddWithValue("count", perDepartment);
                await seed.ExecuteNonQueryAsync();
            }
        }

        foreach (var department in departments)
        {
            await Eventually.TrueAsync(async () => (long)(await fixture.StatusAsync(department.Code))["amqp"]!["published"]! == perDepartment,
                TimeSpan.FromSeconds(60), $"{department.Code}'s backlog to be published");
        }

        var broker = new ConnectionFactory { Uri = fixture.Desk.VirtualHost, AutomaticRecoveryEnabled = false };
        await using var brokerConnection = await broker.CreateConnectionAsync();
        await using var channel = await brokerConnection.CreateChannelAsync();
        foreach (var department in departments)
        {
            // Exactly the backlog: no repeats from a refused or retried round.
            Assert.Equal((uint)perDepartment, (await channel.QueueDeclarePassiveAsync(department.Queue)).MessageCount);
        }

        var taken = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(departments[0]), departments[0].Queue, perDepartment, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, perDepartment).Select(n => n.ToString("D20")), taken.Select(e => (string)e.Json["sequence"]!));
    }
}
