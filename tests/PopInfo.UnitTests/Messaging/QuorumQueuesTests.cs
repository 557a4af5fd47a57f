using PopInfo.Exchange.Delivery;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.UnitTests.Messaging;

/// <summary>The quorum queues' arguments, their dead-letter targets within each service's broker permissions, and the cluster's node list (docs/broker.md).</summary>
public sealed class QuorumQueuesTests
{
    [Theory]
    [InlineData("registry", "popinfo.registry.commands")]
    [InlineData("collection", "popinfo.collection.command-answers")]
    [InlineData("exchange", "popinfo.exchange.person-changed")]
    [InlineData("analytics", "popinfo.analytics.person-changed")]
    [InlineData("sharing", "popinfo.sharing.person-changed")]
    public void A_services_dead_letter_exchange_and_migration_temporaries_are_within_its_own_permissions(string service, string queue)
    {
        var permission = BrokerPermissions.Of(service);
        var deadLetter = QuorumQueues.DeadLetterExchangeOf(queue);

        Assert.Equal($"popinfo.{service}.dead-letter", deadLetter);
        // Declaring a queue with a dead-letter exchange needs write on that exchange (and read on the queue).
        foreach (var name in new[] { deadLetter, QuorumQueueMigration.TemporaryName(queue) })
        {
            Assert.True(BrokerPermissions.Allows(permission.Configure, name), $"{service} configure {name}");
            Assert.True(BrokerPermissions.Allows(permission.Write, name), $"{service} write {name}");
            Assert.True(BrokerPermissions.Allows(permission.Read, name), $"{service} read {name}");
        }
    }

    [Fact]
    public void Only_platform_queues_have_a_dead_letter_exchange()
    {
        Assert.Throws<ArgumentException>(() => QuorumQueues.DeadLetterExchangeOf("orders"));
        Assert.Throws<ArgumentException>(() => QuorumQueues.DeadLetterExchangeOf("other.registry.commands"));
    }

    [Fact]
    public void A_department_queue_is_a_bounded_quorum_queue_dropping_its_oldest_into_the_exchanges_dead_letters()
    {
        var arguments = new DepartmentQueues(deliveryLimit: 7, maxLength: 5_000).Department();

        Assert.Equal("quorum", arguments["x-queue-type"]);
        Assert.Equal(7, arguments["x-delivery-limit"]);
        Assert.Equal("popinfo.exchange.dead-letter", arguments["x-dead-letter-exchange"]);
        Assert.Equal(5_000L, arguments["x-max-length"]);
        Assert.Equal("drop-head", arguments["x-overflow"]);
    }

    [Fact]
    public void A_parking_queue_has_no_delivery_limit_because_its_view_puts_messages_back()
    {
        var arguments = DepartmentQueues.Parking();

        Assert.Equal("quorum", arguments["x-queue-type"]);
        Assert.False(arguments.ContainsKey("x-delivery-limit"));
    }

    [Fact]
    public void The_nodes_setting_lists_host_and_port_and_defaults_to_the_uris_host()
    {
        Assert.Equal([("127.0.0.1", 5681), ("10.0.0.2", 5672)], BrokerNodes.Parse(" 127.0.0.1:5681 , 10.0.0.2"));

        var single = BrokerNodes.Of(new BusOptions { RabbitMqUri = new Uri("amqp://u:p@broker.local:5673/vh") });
        Assert.Equal(("broker.local", 5673), (single.Single().HostName, single.Single().Port));

        var cluster = BrokerNodes.Of(new BusOptions { RabbitMqUri = new Uri("amqp://u:p@ignored:5672/"), RabbitMqNodes = "a:1,b:2,c:3" });
        Assert.Equal(["a:1", "b:2", "c:3"], cluster.Select(e => $"{e.HostName}:{e.Port}"));
    }
}
