using MassTransit;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// Hears every change the registry publishes and hands it to the projector. Acknowledging here loses
/// nothing: the projector's position is in the exchange's database and the registry's feed fills any gap.
/// </summary>
public sealed class PersonChangedConsumer(ChangeBuffer buffer, RelaySignal<ChangeProjector> signal) : IConsumer<PersonChanged>
{
    public const string QueueName = "popinfo.exchange.person-changed";

    public Task Consume(ConsumeContext<PersonChanged> context)
    {
        buffer.Add(context.Message, context.ReceiveContext.Body.Length);
        signal.Notify();
        return Task.CompletedTask;
    }
}
