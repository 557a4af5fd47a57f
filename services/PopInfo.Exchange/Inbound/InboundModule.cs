using PopInfo.Exchange.Inbound;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

// In the module's namespace, like AddExchange, so that ExchangeModule needs no using for it.
namespace PopInfo.Exchange;

/// <summary>Wires the inbound side of the exchange: records departments push, over HTTP and AMQP, turned into registry commands.</summary>
public static class InboundModule
{
    /// <summary>
    /// The exchange's HTTP client of the registry (configured once, with <see cref="ExchangeOptions.RegistryUrl"/>,
    /// for the change feed): matching reads the register through it as well.
    /// </summary>
    public const string RegistryClientName = nameof(RegistryFeed);

    public static IHostApplicationBuilder AddExchangeInbound(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InboundRecordReader>();
        builder.Services.AddSingleton<PersonMatcher>();
        builder.Services.AddSingleton<InboundStore>();
        builder.Services.AddSingleton<InboundService>();
        builder.Services.AddSingleton<ParkedMessages>();
        builder.AddRegistryCommandOutbox<InboundAnswerStore>();

        // Departments publish to the broker only when the platform runs on RabbitMQ (the distributed mode; the
        // same condition under which ExchangeModule registers the BrokerConnection this consumer shares).
        var bus = builder.Configuration.GetSection(PlatformOptions.Section).Get<PlatformOptions>()?.Bus ?? new BusOptions();
        if (bus.Transport == BusTransport.RabbitMq && bus.RabbitMqUri is not null)
        {
            builder.Services.AddHostedService<AmqpInboundConsumer>();
        }

        return builder;
    }
}
