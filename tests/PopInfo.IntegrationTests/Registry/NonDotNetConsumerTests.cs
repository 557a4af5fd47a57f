using System.Diagnostics;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>The documented sample consumer in Python (docs/samples, Debian's python3-pika) reads the events.</summary>
public sealed class NonDotNetConsumerTests(PostgreSqlRegistryFixture fixture) : IClassFixture<PostgreSqlRegistryFixture>
{
    [Fact]
    public async Task A_python_consumer_reads_each_change_from_its_own_queue()
    {
        var broker = await TestInfrastructure.RabbitMqAsync();
        var queue = "popinfo-test-python-" + Guid.NewGuid().ToString("N")[..8];
        await using var probe = await ChangeProbe.StartAsync(broker);
        await BindQueueAsync(broker, queue);
        try
        {
            var (firstStatus, first) = await fixture.Client.PostAsync("/api/v1/persons", People.Resident());
            var (secondStatus, second) = await fixture.Client.PostAsync("/api/v1/persons", People.Resident("1"));
            Assert.Equal((201, 201), (firstStatus, secondStatus));
            var wanted = new[] { (string)first["eventId"]!, (string)second["eventId"]! };
            // Once the probe has both, the python queue (bound earlier to the same fanout exchange) has them too.
            Assert.Equal(2, (await probe.WaitForEventsAsync([.. wanted.Select(Guid.Parse)], TimeSpan.FromSeconds(30))).Count);

            var (exitCode, output, errors) = await RunConsumerAsync(broker, queue);

            Assert.True(exitCode == 0, "python3 failed: " + errors);
            // Other tests publish to the same exchange at the same time: look for ours among all.
            var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonNode.Parse(l)!.AsObject())
                .Where(e => e["eventId"] is not null && wanted.Contains((string)e["eventId"]!))
                .ToList();
            Assert.Equal(wanted, events.Select(e => (string)e["eventId"]!));
            Assert.All(events, e => Assert.Equal((string)e["eventId"]!, (string)e["messageId"]!));
            Assert.All(events, e => Assert.True((bool)e["persistent"]!));
            Assert.Equal([(long)first["sequence"]!, (long)second["sequence"]!], events.Select(e => (long)e["sequence"]!));
            Assert.Equal(["王芳", "张伟"], events.Select(e => (string)e["name"]!));
        }
        finally
        {
            await DeleteQueueAsync(broker, queue);
        }
    }

    // Reads what is in the queue and stops after 5 s without a message.
    private static async Task<(int ExitCode, string Output, string Errors)> RunConsumerAsync(Uri broker, string queue)
    {
        var script = Path.Combine(RepositoryRoot.Path, "docs", "samples", "person_changed_consumer.py");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, broker.ToString(), queue, "0", "5"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (python.ExitCode, await output, await errors);
    }

    private static async Task BindQueueAsync(Uri broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(ChangeProbe.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, ChangeProbe.Exchange, routingKey: "");
    }

    private static async Task DeleteQueueAsync(Uri broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }
}
