using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Broker;

/// <summary>A message of these tests only (MassTransit needs a namespace).</summary>
public sealed record ClusterProbe(Guid Id);

/// <summary>How often each probe reached its consumer.</summary>
public sealed class ProbeDeliveries
{
    public ConcurrentDictionary<Guid, int> Counts { get; } = new();
}

public sealed class ClusterProbeConsumer(ProbeDeliveries deliveries) : IConsumer<ClusterProbe>
{
    public Task Consume(ConsumeContext<ClusterProbe> context)
    {
        deliveries.Counts.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The platform's bus on the three-node RabbitMQ cluster (docs/broker.md): its endpoint queues are quorum queues with the
/// delivery limit and their service's dead-letter queue, replicated on every node; a message published while the queue's
/// leader node is stopped is delivered exactly once; connections pass over the stopped node.
/// </summary>
[Collection(TestCluster.Collection)]
public sealed class ClusterTests : IAsyncLifetime
{
    private const string Queue = "popinfo.registry.cluster-probe";
    private Uri virtualHost = null!;

    public async Task InitializeAsync() => virtualHost = await (await TestCluster.ServersAsync()).CreateVirtualHostAsync();

    public async Task DisposeAsync() => await (await TestCluster.ServersAsync()).DeleteVirtualHostAsync(virtualHost);

    [Fact]
    public async Task Endpoint_queues_are_quorum_queues_on_every_node_with_a_delivery_limit_and_a_dead_letter_queue()
    {
        using var host = await StartBusAsync(new ProbeDeliveries());

        var queue = await TestCluster.QueueAsync(TestCluster.NodeNames[0], virtualHost, Queue);
        Assert.Equal("quorum", (string?)queue["type"]);
        Assert.Equal(3, queue["members"]!.AsArray().Count);
        Assert.Equal(QuorumQueues.DefaultDeliveryLimit, (int)queue["arguments"]!["x-delivery-limit"]!);
        Assert.Equal("popinfo.registry.dead-letter", (string?)queue["arguments"]!["x-dead-letter-exchange"]);

        var deadLetters = await TestCluster.QueueAsync(TestCluster.NodeNames[0], virtualHost, "popinfo.registry.dead-letter");
        Assert.Equal("quorum", (string?)deadLetters["type"]);
        Assert.Equal(QuorumQueues.DeadLetterMaxLength, (long)deadLetters["arguments"]!["x-max-length"]!);
        Assert.Equal("drop-head", (string?)deadLetters["arguments"]!["x-overflow"]);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_message_published_while_the_queue_leader_is_stopped_is_delivered_exactly_once()
    {
        var deliveries = new ProbeDeliveries();
        using var host = await StartBusAsync(deliveries);
        var leader = (string)(await TestCluster.QueueAsync(TestCluster.NodeNames[0], virtualHost, Queue))["leader"]!;
        var other = TestCluster.NodeNames.First(n => n != leader);
        var nodes = TestCluster.Nodes.Split(',');
        var leaderAddress = nodes[TestCluster.NodeNames.ToList().IndexOf(leader)];
        var probe = Guid.NewGuid();

        await LocalBroker.RabbitMqCtlAsync(leader, "stop_app");
        try
        {
            await host.Services.GetRequiredService<IBus>().Publish(new ClusterProbe(probe), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            await Eventually.TrueAsync(() => Task.FromResult(deliveries.Counts.ContainsKey(probe)), TimeSpan.FromSeconds(60), "the probe's delivery");

            // The raw client's endpoint list: the stopped node first, and the connection is made to another one.
            var stoppedFirst = string.Join(',', nodes.OrderBy(n => n == leaderAddress ? 0 : 1));
            await using var connection = await BrokerNodes.ConnectAsync(new BusOptions { RabbitMqUri = virtualHost, RabbitMqNodes = stoppedFirst }, "popinfo-test", CancellationToken.None);
            Assert.NotEqual(leaderAddress, $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}");
        }
        finally
        {
            await TestCluster.StartAppAsync(leader);
        }

        await Eventually.TrueAsync(async () => (await TestCluster.QueueAsync(other, virtualHost, Queue))["online"]!.AsArray().Count == 3,
            TimeSpan.FromSeconds(60), "every member of the queue online again");
        await using (var connection = await BrokerNodes.ConnectAsync(new BusOptions { RabbitMqUri = virtualHost, RabbitMqNodes = TestCluster.Nodes }, "popinfo-test", CancellationToken.None))
        {
            await using var channel = await connection.CreateChannelAsync();
            Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(Queue)).MessageCount);
        }

        Assert.Equal(1, deliveries.Counts[probe]);
        Assert.Single(deliveries.Counts);
        await host.StopAsync();
    }

    private async Task<IHost> StartBusAsync(ProbeDeliveries deliveries)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PopInfo:Bus:Transport"] = "RabbitMq",
            ["PopInfo:Bus:RabbitMqUri"] = virtualHost.ToString(),
            ["PopInfo:Bus:RabbitMqNodes"] = TestCluster.Nodes,
        });
        builder.Services.AddSingleton(deliveries);
        builder.AddBusConsumers(bus => bus.AddConsumer<ClusterProbeConsumer>().Endpoint(e => e.Name = Queue));
        builder.AddPlatformBus();
        var host = builder.Build();
        await host.StartAsync();
        await Eventually.TrueAsync(async () => (await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(1))) == BusHealthStatus.Healthy,
            TimeSpan.FromSeconds(60), "the bus healthy");
        return host;
    }
}
