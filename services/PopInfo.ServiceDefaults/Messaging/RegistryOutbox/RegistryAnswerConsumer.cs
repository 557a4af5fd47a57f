using MassTransit;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

/// <summary>
/// Records the registry's answers that come to the sender's own queue: on the outbox row, and on the sender's row (a
/// form accepted or rejected, an inbound record applied or rejected), in one transaction. A repeated answer changes nothing.
/// </summary>
public sealed class RegistryAnswerConsumer<TSender>(RegistryOutbox<TSender> outbox, TSender sender) : IConsumer<RegistryCommandAnswered>
    where TSender : RegistryAnswerStore
{
    public Task Consume(ConsumeContext<RegistryCommandAnswered> context) =>
        outbox.Store.RecordAnswerAsync(context.Message, sender, context.CancellationToken);
}

/// <summary>
/// The sender's answer queue, bound to its own answer exchange only, with one retry policy for every sender: an answer
/// that cannot be recorded (the database away or busy) is tried again for about ten minutes, then parked in the
/// <c>_error</c> queue; an answer the database refuses as data is parked at once. The outbox sends the command again
/// later if its answer never lands (<see cref="RegistryCommandRelay{TSender}"/>).
/// </summary>
public sealed class RegistryAnswerConsumerDefinition<TSender> : ConsumerDefinition<RegistryAnswerConsumer<TSender>>
    where TSender : RegistryAnswerStore
{
    private readonly string service;

    public RegistryAnswerConsumerDefinition(TSender sender)
    {
        service = sender.Service;
        EndpointName = sender.AnswerQueue;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RegistryAnswerConsumer<TSender>> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.BindRegistryAnswers(service);
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(e => DatabaseErrors.Classify(e) != DatabaseErrorKind.Refused);
            retry.Exponential(25, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        });
    }
}
