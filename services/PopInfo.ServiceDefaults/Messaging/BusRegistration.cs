using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Reflection;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// One MassTransit bus per process. Each service adds its consumers with <see cref="AddBusConsumers"/>;
/// the process then calls <see cref="AddPlatformBus"/> once, so that the embedded host (six services,
/// one process) and a single distributed service build the bus the same way.
/// </summary>
public static class BusRegistration
{
    /// <summary>
    /// Where the desk and the exchange send registry commands: the registry's command exchange, not
    /// <c>queue:popinfo.registry.commands</c>. Sending to a queue address makes MassTransit declare the queue and bind
    /// it, which needs RabbitMQ's configure and read rights on the queue's name — and read lets a sender consume the
    /// registry's commands. Sending to an exchange declares only the exchange.
    /// </summary>
    public static readonly Uri RegistryCommands = new($"exchange:{RegistryCommandRoutes.CommandExchange}");

    public static IHostApplicationBuilder AddBusConsumers(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> register)
    {
        Contributions(builder.Services).Add(register);
        return builder;
    }

    public static IHostApplicationBuilder AddPlatformBus(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PlatformOptions.Section).Get<PlatformOptions>()?.Bus ?? new BusOptions();
        var contributions = Contributions(builder.Services);

        builder.Services.AddMassTransit(bus =>
        {
            // A government platform must not phone home.
            bus.DisableUsageTelemetry();
            bus.SetKebabCaseEndpointNameFormatter();
            // No Fault<T> is published when a consumer fails (nothing here consumes faults): it would carry the message,
            // personal data, to an exchange every service would need the right to declare (docs/security.md, "Broker users").
            bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                endpoint.PublishFaults = false;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    // Every endpoint queue a quorum queue (docs/broker.md); a classic one left by an older version is moved
                    // over first, before MassTransit declares it (it would be refused: a queue's type cannot change).
                    QuorumQueues.Apply(rabbit, queue, options.DeliveryLimit);
                    MigrateToQuorum(context, options, queue);
                }
            });
            foreach (var register in contributions)
            {
                register(bus);
            }

            if (options.Transport == BusTransport.RabbitMq && options.RabbitMqUri is not null)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    // Each publish completes only when the broker has confirmed it: the relay relies on this.
                    cfg.Host(options.RabbitMqUri, host =>
                    {
                        host.PublisherConfirmation = true;
                        // A cluster: MassTransit connects to the first node that answers and, when that connection
                        // breaks, to the next (docs/broker.md). The URI still gives the user, password and virtual host.
                        if (BrokerNodes.Parse(options.RabbitMqNodes) is { Count: > 0 } nodes)
                        {
                            host.UseCluster(cluster =>
                            {
                                foreach (var (nodeHost, nodePort) in nodes)
                                {
                                    cluster.Node($"{nodeHost}:{nodePort}");
                                }
                            });
                        }
                    });
                    // Every message carries the AMQP user_id of this service's broker user. RabbitMQ refuses a message whose
                    // user_id is not the publishing connection's user, so a receiver (the registry) can trust it as the sender.
                    var user = Uri.UnescapeDataString(options.RabbitMqUri.UserInfo.Split(':')[0]);
                    cfg.ConfigureSend(send => send.UseSendExecute(context =>
                    {
                        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                        {
                            rabbit.BasicProperties.UserId = user;
                            // The command exchange routes to the registry's queue only once the registry has bound it: until
                            // then the broker returns the command and the send fails, so the sender's outbox keeps it. An
                            // answer exchange likewise routes only once its sender has bound its queue: until then the
                            // registry's send fails and the command is retried, so no answer is dropped.
                            rabbit.Mandatory |= rabbit.Exchange == RegistryCommandRoutes.CommandExchange
                                || rabbit.Exchange.StartsWith(RegistryCommandRoutes.AnswerExchangePrefix, StringComparison.Ordinal);
                        }
                    }));
                    cfg.PrefetchCount = options.PrefetchCount;
                    ConfigureTopology(cfg);
                    cfg.ConfigureJsonSerializerOptions(Contracts.Json.Apply);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureTopology(cfg);
                    cfg.ConfigureJsonSerializerOptions(Contracts.Json.Apply);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }

    /// <summary>
    /// Moves a classic endpoint queue's messages into a quorum queue of the same name (<see cref="QuorumQueueMigration"/>),
    /// while the bus is being configured, before it declares anything. The endpoint's exchange (the queue's name) is its
    /// source. A broker that does not answer is logged: the bus then retries its declaration, and the next start migrates.
    /// </summary>
    private static void MigrateToQuorum(IServiceProvider services, BusOptions options, string queue)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(QuorumQueueMigration));
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var moved = Task.Run(async () =>
            {
                await using var connection = await BrokerNodes.ConnectAsync(options, "popinfo-quorum-migration", cancel.Token);
                var arguments = QuorumQueues.Arguments(options.DeliveryLimit, QuorumQueues.DeadLetterExchangeOf(queue));
                return await QuorumQueueMigration.MigrateAsync(connection, queue, arguments, sources: [queue], cancel.Token);
            }).GetAwaiter().GetResult();
            if (moved > 0)
            {
                logger?.LogWarning("Queue {Queue} migrated from classic to quorum: {Moved} messages moved", queue, moved);
            }
        }
        catch (Exception ex)
        {
            logger?.LogError("Queue {Queue} could not be checked or migrated to a quorum queue ({Error}); tried again at the next start", queue, ex.GetType().Name);
        }
    }

    // Exchange names are part of the platform's published interface (docs/messages.md), not .NET type names.
    private static void ConfigureTopology(IBusFactoryConfigurator cfg)
    {
        cfg.Message<PersonChanged>(m => m.SetEntityName(PersonChanged.ExchangeName));
        cfg.Message<RegistryCommandAnswered>(m => m.SetEntityName(RegistryCommandAnswered.ExchangeName));
        cfg.Message<ApplyRegistryCommand>(m => m.SetEntityName(RegistryCommandRoutes.CommandExchange));
        // Every typed command goes through the one command exchange (senders may write there and nowhere else of the
        // registry's); their base records are no exchanges of their own (nobody may declare them).
        foreach (var kind in RegistryCommandCatalogue.All)
        {
            NameCommandExchange.MakeGenericMethod(kind.Type).Invoke(null, [cfg]);
        }

        cfg.Publish<RegistryCommand>(p => p.Exclude = true);
        cfg.Publish<PersonCommand>(p => p.Exclude = true);
        cfg.Publish<NewPersonCommand>(p => p.Exclude = true);
    }

    private static readonly MethodInfo NameCommandExchange =
        typeof(BusRegistration).GetMethod(nameof(NameCommandExchangeOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void NameCommandExchangeOf<TCommand>(IBusFactoryConfigurator cfg)
        where TCommand : RegistryCommand =>
        cfg.Message<TCommand>(m => m.SetEntityName(RegistryCommandRoutes.CommandExchange));

    /// <summary>
    /// Binds a sender's answer queue to its own answer exchange (<see cref="RegistryCommandRoutes.AnswerExchange"/>) and
    /// nothing else: not to the version-1 fanout every sender read.
    /// </summary>
    public static void BindRegistryAnswers(this IReceiveEndpointConfigurator endpoint, string sender)
    {
        endpoint.ConfigureConsumeTopology = false;
        var exchange = RegistryCommandRoutes.AnswerExchange(sender);
        switch (endpoint)
        {
            case IRabbitMqReceiveEndpointConfigurator rabbit:
                rabbit.Bind(exchange);
                break;
            case IInMemoryReceiveEndpointConfigurator memory:
                memory.Bind(exchange);
                break;
        }
    }

    private static List<Action<IBusRegistrationConfigurator>> Contributions(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(BusContributions))?.ImplementationInstance;
        if (existing is BusContributions list)
        {
            return list;
        }

        var created = new BusContributions();
        services.AddSingleton(created);
        return created;
    }

    private sealed class BusContributions : List<Action<IBusRegistrationConfigurator>>;
}
