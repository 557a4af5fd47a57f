using MassTransit;
using MassTransit.Middleware;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// The registry's command queue <c>popinfo.registry.commands</c>: twice as many commands at once as the
/// database admits writers — while some wait for the broker to confirm their answers, others use the
/// database (the executor still admits only its writers at a time) — and retries while the database is
/// away or busy.
/// </summary>
public sealed class RegistryCommandConsumerDefinition : ConsumerDefinition<RegistryCommandConsumer>
{
    private readonly IServiceProvider services;

    public RegistryCommandConsumerDefinition(IServiceProvider services)
    {
        this.services = services;
        EndpointName = RegistryCommandRoutes.CommandQueue;
        ConcurrentMessageLimit = 2 * services.GetRequiredKeyedService<ServiceDatabase>(RegistryModule.Name).Dialect.MaxConcurrentWriters;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RegistryCommandConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // A command waits (unacknowledged, so still safe in the broker) while the database is down or busy:
        // about 15 minutes of retries, then the _error queue, from which an operator moves it back. Data the
        // database refuses is answered by the executor and never gets here; should such an error escape, it
        // goes to the _error queue at once rather than holding a writer for a quarter of an hour.
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(IsWorthRetrying);
            retry.Exponential(40, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        });
        // A typed command whose body cannot be read fails in MassTransit's dispatch by type, before any consume filter,
        // and lands in the error pipe: UnreadableCommandFilter answers it there. Configuring the error pipe replaces
        // MassTransit's default, so its two filters follow: a Fault event, and the message moved to the _error queue.
        endpointConfigurator.ConfigureError(error =>
        {
            error.UseFilter(new UnreadableCommandFilter(services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<UnreadableCommandFilter>>()));
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
    }

    /// <summary>
    /// Retried: the registry busy, the database away or busy (40001, 40P01, 08xxx, 57P0x, 53xxx, a failed
    /// connection, SQLite busy or locked), other database errors (a missing grant an operator can fix), and
    /// everything that is not the database (the broker confirming the answer, or returning it because the
    /// sender's answer queue is not bound yet). Not retried: data the database refuses (SQLSTATE classes 22 and
    /// 23, SQLite's constraint and mismatch errors), which fails every time.
    /// </summary>
    public static bool IsWorthRetrying(Exception exception) => DatabaseErrors.Classify(exception) != DatabaseErrorKind.Refused;
}
