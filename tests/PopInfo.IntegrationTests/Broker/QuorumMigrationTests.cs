using System.Text;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.IntegrationTests.Broker;

/// <summary>
/// A classic queue of an older version, with messages waiting in it, becomes a quorum queue of the same name
/// (QuorumQueueMigration, run at start by the bus and by the exchange's BrokerPermissionsRepair): every message is kept,
/// body, id and headers, none doubled; the queue's exchange feeds the new queue; nothing temporary is left (docs/broker.md).
/// </summary>
[Collection(TestCluster.Collection)]
public sealed class QuorumMigrationTests : IAsyncLifetime
{
    private const string Queue = "popinfo.registry.migration-probe";
    private const int Waiting = 300;
    private Uri virtualHost = null!;

    public async Task InitializeAsync() => virtualHost = await (await TestCluster.ServersAsync()).CreateVirtualHostAsync();

    public async Task DisposeAsync() => await (await TestCluster.ServersAsync()).DeleteVirtualHostAsync(virtualHost);

    /// <summary>Fed by its exchange (a MassTransit endpoint), or by the default exchange (a department's queue).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_classic_queue_with_messages_waiting_becomes_a_quorum_queue_keeping_every_message(bool fedByItsExchange)
    {
        var bus = new BusOptions { RabbitMqUri = virtualHost, RabbitMqNodes = TestCluster.Nodes };
        await using var connection = await BrokerNodes.ConnectAsync(bus, "popinfo-test", CancellationToken.None);
        await using (var setup = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            // As MassTransit made endpoints before quorum queues: a fanout exchange of the queue's name, bound to a classic queue.
            await setup.ExchangeDeclareAsync(Queue, ExchangeType.Fanout, durable: true, autoDelete: false);
            await setup.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, arguments: null);
            if (fedByItsExchange)
            {
                await setup.QueueBindAsync(Queue, Queue, "");
            }

            for (var i = 0; i < Waiting; i++)
            {
                await PublishAsync(setup, i, fedByItsExchange);
            }

            Assert.Equal((uint)Waiting, (await setup.QueueDeclarePassiveAsync(Queue)).MessageCount);
        }

        var arguments = QuorumQueues.Arguments(QuorumQueues.DefaultDeliveryLimit, QuorumQueues.DeadLetterExchangeOf(Queue));
        string[] sources = fedByItsExchange ? [Queue] : [];
        var held = await QuorumQueueMigration.MigrateAsync(connection, Queue, arguments, sources, CancellationToken.None);
        Assert.Equal(Waiting, held);
        // A second run finds a quorum queue and does nothing.
        Assert.Equal(0, await QuorumQueueMigration.MigrateAsync(connection, Queue, arguments, sources, CancellationToken.None));

        var described = await TestCluster.QueueAsync(TestCluster.NodeNames[0], virtualHost, Queue);
        Assert.Equal("quorum", (string?)described["type"]);
        Assert.Equal(QuorumQueues.DefaultDeliveryLimit, (int)described["arguments"]!["x-delivery-limit"]!);

        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // What fed the old queue feeds the new one: one message more.
        await PublishAsync(channel, Waiting, fedByItsExchange);
        Assert.Equal((uint)Waiting + 1, (await channel.QueueDeclarePassiveAsync(Queue)).MessageCount);

        var taken = new List<(string? Id, string Body, string Header)>();
        while (await channel.BasicGetAsync(Queue, autoAck: true) is { } message)
        {
            taken.Add((message.BasicProperties.MessageId, Encoding.UTF8.GetString(message.Body.Span),
                Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers!["n"]!)));
        }

        Assert.Equal(Enumerable.Range(0, Waiting + 1).Select(i => ((string?)$"m-{i}", $"body {i}", $"{i}")), taken.OrderBy(t => int.Parse(t.Header, System.Globalization.CultureInfo.InvariantCulture)));
        var temporary = QuorumQueueMigration.TemporaryName(Queue);
        await using var probe = await connection.CreateChannelAsync();
        var gone = await Assert.ThrowsAsync<OperationInterruptedException>(() => probe.QueueDeclarePassiveAsync(temporary));
        Assert.Equal(404, gone.ShutdownReason!.ReplyCode);
    }

    private static async Task PublishAsync(IChannel channel, int i, bool viaItsExchange)
    {
        var properties = new BasicProperties { Persistent = true, MessageId = $"m-{i}", Headers = new Dictionary<string, object?> { ["n"] = $"{i}" } };
        await channel.BasicPublishAsync(viaItsExchange ? Queue : "", viaItsExchange ? "" : Queue, mandatory: true, properties, Encoding.UTF8.GetBytes($"body {i}"));
    }
}
