using PopInfo.Collection;
using PopInfo.Contracts.Identity;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Inbound;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.UnitTests.Messaging;

/// <summary>
/// Each service's RabbitMQ permissions, name by name: what its MassTransit topology and raw RabbitMQ.Client code touch is
/// allowed, another service's queues are not. (RabbitMQ matches the patterns against exchange and queue names alike.)
/// </summary>
public sealed class BrokerPermissionsTests
{
    /// <summary>Every service's receive endpoints: the queue, and the exchange of the same name bound to it.</summary>
    private static readonly Dictionary<string, string[]> QueuesOf = new()
    {
        ["registry"] = [RegistryCommandRoutes.CommandQueue],
        ["collection"] = [RegistryAnswerStore.AnswerQueueOf(CollectionModule.Name)],
        ["exchange"] = [PersonChangedConsumer.QueueName, ClientStatusChangedConsumer.QueueName, RegistryAnswerStore.AnswerQueueOf(ExchangeModule.Name), AmqpInboundConsumer.QueueName],
    };

    public static TheoryData<string> Services => [.. BrokerPermissions.Services];

    [Fact]
    public void Each_service_has_its_own_user()
    {
        Assert.Equal("popinfo-registry", BrokerPermissions.UserOf("registry"));
        Assert.Equal(BrokerPermissions.Services.Count, BrokerPermissions.Services.Select(BrokerPermissions.UserOf).Distinct().Count());
        Assert.Throws<ArgumentException>(() => BrokerPermissions.UserOf("dept-police"));
    }

    [Fact]
    public void A_service_may_declare_bind_and_consume_its_own_queues_with_their_error_and_skipped_queues()
    {
        foreach (var (service, queues) in QueuesOf)
        {
            var permission = BrokerPermissions.Of(service);
            foreach (var queue in queues.SelectMany(q => new[] { q, q + "_error", q + "_skipped" }))
            {
                Assert.True(BrokerPermissions.Allows(permission.Configure, queue), $"{service} configure {queue}");
                Assert.True(BrokerPermissions.Allows(permission.Write, queue), $"{service} write (bind) {queue}");
                Assert.True(BrokerPermissions.Allows(permission.Read, queue), $"{service} read {queue}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void No_service_may_read_configure_or_write_another_services_queue(string service)
    {
        var permission = BrokerPermissions.Of(service);
        foreach (var queue in QueuesOf.Where(q => q.Key != service).SelectMany(q => q.Value).SelectMany(q => new[] { q, q + "_error" }))
        {
            Assert.False(BrokerPermissions.Allows(permission.Read, queue), $"{service} may read {queue}");
            Assert.False(BrokerPermissions.Allows(permission.Configure, queue), $"{service} may configure {queue}");
            Assert.False(BrokerPermissions.Allows(permission.Write, queue), $"{service} may write (bind) {queue}");
        }
    }

    [Theory]
    [InlineData("collection")]
    [InlineData("exchange")]
    public void A_command_sender_may_declare_and_write_the_command_exchange_only(string service)
    {
        var permission = BrokerPermissions.Of(service);

        Assert.True(BrokerPermissions.Allows(permission.Configure, ApplyRegistryCommand.ExchangeName));
        Assert.True(BrokerPermissions.Allows(permission.Write, ApplyRegistryCommand.ExchangeName));
        Assert.False(BrokerPermissions.Allows(permission.Read, ApplyRegistryCommand.ExchangeName));
        Assert.NotEqual(ApplyRegistryCommand.QueueName, ApplyRegistryCommand.ExchangeName);
        Assert.Equal(new Uri("exchange:" + ApplyRegistryCommand.ExchangeName), BusRegistration.RegistryCommands);
    }

    /// <summary>A publisher declares its message type's exchange and writes to it; a consumer declares it and binds from it (read).</summary>
    [Theory]
    [InlineData("registry", PersonChanged.ExchangeName, true, false)]
    [InlineData("registry", RegistryCommandRoutes.AnswerExchangePrefix + "collection", true, true)]
    [InlineData("registry", RegistryCommandRoutes.AnswerExchangePrefix + "exchange", true, true)]
    [InlineData("identity", BrokerPermissions.ClientStatusChangedExchange, true, false)]
    [InlineData("collection", RegistryCommandRoutes.AnswerExchangePrefix + "collection", false, true)]
    [InlineData("exchange", RegistryCommandRoutes.AnswerExchangePrefix + "exchange", false, true)]
    [InlineData("exchange", PersonChanged.ExchangeName, false, true)]
    [InlineData("exchange", BrokerPermissions.ClientStatusChangedExchange, false, true)]
    [InlineData("registry", ApplyRegistryCommand.ExchangeName, true, true)]
    public void Publishers_and_consumers_may_declare_their_message_types_exchanges(string service, string exchange, bool write, bool read)
    {
        var permission = BrokerPermissions.Of(service);

        Assert.True(BrokerPermissions.Allows(permission.Configure, exchange));
        Assert.Equal(write, BrokerPermissions.Allows(permission.Write, exchange));
        Assert.Equal(read, BrokerPermissions.Allows(permission.Read, exchange));
    }

    [Fact]
    public void The_exchange_declares_and_fills_departments_queues_but_neither_reads_them_nor_touches_their_inbound_exchanges()
    {
        var permission = BrokerPermissions.Of("exchange");
        var queue = DepartmentTopology.Queue("police");
        var inbound = DepartmentTopology.InboundExchange("police");
        var parked = DepartmentTopology.ParkingQueue("police");

        // The parking queue of what it could not process: declared, filled and read back (the parked view) by it.
        Assert.True(BrokerPermissions.Allows(permission.Configure, parked));
        Assert.True(BrokerPermissions.Allows(permission.Read, parked));

        Assert.True(BrokerPermissions.Allows(permission.Configure, queue));
        Assert.True(BrokerPermissions.Allows(permission.Write, BrokerPermissions.DefaultExchange));
        Assert.False(BrokerPermissions.Allows(permission.Read, queue));
        Assert.False(BrokerPermissions.Allows(permission.Configure, inbound));
        Assert.False(BrokerPermissions.Allows(permission.Write, inbound));
        Assert.False(BrokerPermissions.Allows(permission.Read, inbound));
    }

    [Theory]
    [InlineData("analytics")]
    [InlineData("sharing")]
    public void A_read_model_hears_every_change_and_nothing_else_of_others(string service)
    {
        var permission = BrokerPermissions.Of(service);

        // Its queue popinfo.{service}.person-changed is bound from the registry's fanout exchange: read on the source.
        Assert.True(BrokerPermissions.Allows(permission.Read, PersonChanged.ExchangeName));
        Assert.True(BrokerPermissions.Allows(permission.Read, $"popinfo.{service}.person-changed"));
        Assert.False(BrokerPermissions.Allows(permission.Write, PersonChanged.ExchangeName));
        Assert.False(BrokerPermissions.Allows(permission.Read, "popinfo.exchange.person-changed"));
        Assert.False(BrokerPermissions.Allows(permission.Write, "popinfo.registry.command-requests"));
    }

    [Theory]
    [InlineData("monitoring")]
    public void A_skeleton_service_has_only_its_own_names(string service)
    {
        var own = $"^(popinfo\\.{service}\\..*)$";

        Assert.Equal(new BrokerPermission(own, own, own), BrokerPermissions.Of(service));
    }

    [Fact]
    public void The_identity_providers_event_exchange_is_the_one_MassTransit_names_for_it() =>
        Assert.Equal(BrokerPermissions.ClientStatusChangedExchange, new MassTransit.RabbitMqTransport.RabbitMqMessageNameFormatter().GetMessageName(typeof(ClientStatusChanged)));

    [Theory]
    [InlineData("collection", "exchange")]
    [InlineData("exchange", "collection")]
    public void A_sender_can_neither_read_nor_write_another_senders_answers(string service, string other)
    {
        var permission = BrokerPermissions.Of(service);
        var theirs = RegistryCommandRoutes.AnswerExchange(other);

        Assert.False(BrokerPermissions.Allows(permission.Read, theirs));
        Assert.False(BrokerPermissions.Allows(permission.Write, theirs));
        Assert.False(BrokerPermissions.Allows(permission.Read, RegistryCommandAnswered.ExchangeName));
    }
}
