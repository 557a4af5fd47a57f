using MassTransit;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// The registry's command queue <c>popinfo.registry.commands</c>: twice as many commands at once as the
/// database admits writers — while some wait for the broker to confirm their answers, others use the
/// database (the executor still admits only its writers at a time) — and retries while the database is
/// away or busy.
/// </summary>
public sealed class ApplyRegistryCommandConsumerDefinition : ConsumerDefinition<ApplyRegistryCommandConsumer>
{
    public ApplyRegistryCommandConsumerDefinition(IServiceProvider services)
    {
        EndpointName = ApplyRegistryCommand.QueueName;
        ConcurrentMessageLimit = 2 * services.GetRequiredKeyedService<ServiceDatabase>(RegistryModule.Name).Dialect.MaxConcurrentWriters;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ApplyRegistryCommandConsumer> consumerConfigurator, IRegistrationContext context) =>
        // A command waits (unacknowledged, so still safe in the broker) while the database is down: about
        // 15 minutes of retries, then the _error queue, from which an operator moves it back.
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(40, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
}
