using MassTransit;
using PopInfo.Contracts.Registry;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// Hears every change the registry publishes and applies it, a batch per transaction. Redeliveries and reordering
/// across persons do no harm (versions are keyed by person and version, sequences by number); a lost message leaves a
/// gap below which the watermark waits until the change feed fills it (<see cref="ProjectionService"/>).
/// </summary>
public sealed class PersonChangedConsumer(Projector projector) : IConsumer<Batch<PersonChanged>>
{
    public const string QueueName = "popinfo.analytics.person-changed";

    /// <summary>The most changes applied in one transaction.</summary>
    public const int BatchSize = 500;

    public Task Consume(ConsumeContext<Batch<PersonChanged>> context) =>
        projector.ApplyAsync([.. context.Message.Select(m => PersonFacts.From(m.Message))], context.CancellationToken);
}
