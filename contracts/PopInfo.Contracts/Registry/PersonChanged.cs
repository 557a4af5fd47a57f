namespace PopInfo.Contracts.Registry;

/// <summary>
/// Integration event, version 1: a change to one person was applied to the population register.
/// Published once per change-log entry to the RabbitMQ fanout exchange <c>popinfo.person-changed</c>,
/// at least once and in order per person. Consumers recognise a repeat by <see cref="EventId"/>
/// (equal to the MassTransit message id) or by <see cref="Sequence"/>.
/// </summary>
/// <remarks>
/// The namespace and name are part of the contract (MassTransit routes by them): never move them.
/// Evolve this type only by adding optional properties; a breaking change is a new type.
/// </remarks>
public sealed record PersonChanged
{
    /// <summary>The fanout exchange every person change is published to.</summary>
    public const string ExchangeName = "popinfo.person-changed";

    /// <summary>Unique id of this event; the same on every redelivery.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Global, gap-free sequence number of the change-log entry (1, 2, 3, ...).</summary>
    public required long Sequence { get; init; }

    /// <summary>Internal id of the person (UUIDv7).</summary>
    public required Guid PersonId { get; init; }

    /// <summary>The person's resident identity number (18 characters, upper-case check character).</summary>
    public required string IdNumber { get; init; }

    /// <summary>What happened, one of <see cref="ChangeTypes"/>.</summary>
    public required string ChangeType { get; init; }

    /// <summary>Names of the fields of <see cref="Person"/> whose value changed (camelCase, as serialised).</summary>
    public required IReadOnlyList<string> ChangedFields { get; init; }

    /// <summary>The person's version after this change (1 for a new person).</summary>
    public required int Version { get; init; }

    /// <summary>The full record after this change.</summary>
    public required PersonRecord Person { get; init; }

    /// <summary>
    /// The region of residence before this change (null for a new person). A move out of the city or a
    /// migrant's departure clears <see cref="PersonRecord.ResidenceRegionCode"/>; this says where they lived,
    /// so that a subscriber to that region still hears of it.
    /// </summary>
    public string? PreviousResidenceRegionCode { get; init; }

    /// <summary>When the change happened in the world (the date of birth, death, move...).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>When the register recorded the change (commit time, UTC).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Who sent the change, e.g. <c>desk:320205001001</c>, <c>department:police</c> or <c>api</c>.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Who acted through <see cref="Source"/>: the collector or department a service's bus command named, or the
    /// person of an HTTP token; absent when the source acted for itself. Added in v1 (optional).
    /// </summary>
    public string? Actor { get; init; }

    /// <summary>Correlation id carried from the original request (a form id, say), if any.</summary>
    public Guid? CorrelationId { get; init; }

    /// <summary>The command id (idempotency key) that produced the change.</summary>
    public Guid? CommandId { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the activity that applied the change in the register (kept with its change-log
    /// entry), so that a service hearing the change later, from the bus or the feed, can continue its trace. Absent
    /// when the change was applied without one. Added in v1 (optional).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that went with <see cref="TraceParent"/>, if any. Added in v1 (optional).</summary>
    public string? TraceState { get; init; }
}
