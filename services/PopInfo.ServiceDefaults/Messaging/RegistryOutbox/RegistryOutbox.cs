using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

/// <summary>One sender's registry-command outbox: the <see cref="RegistryOutboxStore"/> on that sender's database.</summary>
public sealed class RegistryOutbox<TSender>(RegistryOutboxStore store)
    where TSender : RegistryAnswerStore
{
    public RegistryOutboxStore Store { get; } = store;
}

public static class RegistryOutboxRegistration
{
    /// <summary>
    /// Gives a service the registry-command outbox: the relay that sends its commands, the consumer of its answers on
    /// its own durable queue, and the signal that wakes the relay (<c>RelaySignal&lt;RegistryCommandRelay&lt;TSender&gt;&gt;</c>).
    /// </summary>
    public static IHostApplicationBuilder AddRegistryCommandOutbox<TSender>(this IHostApplicationBuilder builder)
        where TSender : RegistryAnswerStore
    {
        builder.Services.AddSingleton<TSender>();
        builder.Services.AddSingleton(services =>
            new RegistryOutbox<TSender>(new RegistryOutboxStore(services.GetRequiredKeyedService<ServiceDatabase>(services.GetRequiredService<TSender>().Service))));
        builder.Services.AddSingleton<RelaySignal<RegistryCommandRelay<TSender>>>();
        builder.Services.AddHostedService<RegistryCommandRelay<TSender>>();
        builder.Services.TryAddSingleton(builder.Configuration.GetSection(PlatformOptions.Section + ":RegistryOutbox").Get<RegistryOutboxOptions>() ?? new RegistryOutboxOptions());
        builder.AddBusConsumers(bus => bus.AddConsumer<RegistryAnswerConsumer<TSender>, RegistryAnswerConsumerDefinition<TSender>>());
        return builder;
    }
}
