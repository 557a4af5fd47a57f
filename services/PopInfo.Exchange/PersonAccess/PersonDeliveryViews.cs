namespace PopInfo.Exchange.PersonAccess;

/// <summary>
/// Every event the exchange made of one person's changes, one per department and subscription, ordered by register
/// sequence, then department. <see cref="Truncated"/>: there were more than the limit (ask again with fewer sequences).
/// </summary>
public sealed record PersonDeliveries(Guid PersonId, IReadOnlyList<PersonDelivery> Deliveries, bool Truncated);

/// <summary>
/// One event for one department: which change (<see cref="RegistrySequence"/>, <see cref="EventType"/>), under which
/// subscription and purpose, when the exchange made it (<see cref="ProjectedAt"/>), and how it reached the department:
/// its queue (null: the department has none), its webhook (null: none), and each read of its feed that returned it.
/// </summary>
public sealed record PersonDelivery(
    string Department, string DepartmentName, long Sequence, long RegistrySequence, string EventType, Guid SubscriptionId, string? Purpose,
    DateTimeOffset ProjectedAt, QueueDelivery? Queue, WebhookDelivery? Webhook, IReadOnlyList<FeedRead> FeedReads);

/// <summary>
/// The queue: <see cref="Published"/> once the broker confirmed it into the department's queue; <see cref="Acknowledged"/>
/// once the department took it off (from the broker's count of the queue; null when the broker could not be asked).
/// The exchange keeps no per-event time for either.
/// </summary>
public sealed record QueueDelivery(bool Published, bool? Acknowledged);

/// <summary>The webhook: its state (pending, delivered, dead, held), attempts, and the time of the last attempt.</summary>
public sealed record WebhookDelivery(string State, int Attempts, DateTimeOffset? LastAttemptAt);

/// <summary>A read of the department's feed that returned the event (from the exchange's audit trail).</summary>
public sealed record FeedRead(long AuditId, DateTimeOffset At, string Actor);
