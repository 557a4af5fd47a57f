using MassTransit;
using PopInfo.Contracts.Registry;

namespace PopInfo.Sharing.People;

/// <summary>
/// Hears every change the registry publishes and applies it to the read model, a batch per transaction. Redeliveries and
/// reordering across persons do no harm (a row takes only a newer version; sequences are keyed by number); a lost
/// message leaves a gap the change feed fills (<see cref="PeopleProjection"/>).
/// </summary>
public sealed class PersonChangedConsumer(PeopleApplier applier) : IConsumer<Batch<PersonChanged>>
{
    public const string QueueName = "popinfo.sharing.person-changed";

    /// <summary>The most changes applied in one transaction.</summary>
    public const int BatchSize = 500;

    public Task Consume(ConsumeContext<Batch<PersonChanged>> context) =>
        applier.ApplyAsync([.. context.Message.Select(m => m.Message)], context.CancellationToken);
}
