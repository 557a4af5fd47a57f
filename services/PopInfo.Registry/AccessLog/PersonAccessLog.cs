namespace PopInfo.Registry.AccessLog;

/// <summary>
/// Every recorded read of one person in the register, oldest first by read id (a page of them: ask again with
/// <c>after = next</c> until <see cref="Reads"/> is empty), and all of the person's change-log sequences, by which the
/// exchange's deliveries and the feed reads are keyed.
/// </summary>
public sealed record PersonAccessLog(Guid PersonId, IReadOnlyList<RegistryRead> Reads, long Next, IReadOnlyList<PersonChange> Changes);

/// <summary>
/// One read of the person: when, by which client (<see cref="User"/>: the person acting through it, when there was
/// one), which endpoint (<see cref="Action"/>, e.g. <c>person.get</c>, <c>changes.read</c>), and how the person was in
/// it — <see cref="Via"/> <c>person</c> (the read returned the person) or <c>feed</c> (a read of the change feed whose
/// stretch of sequences held one of the person's changes).
/// </summary>
public sealed record RegistryRead(long Id, DateTimeOffset At, string Client, string? User, string Action, string Via, string? Detail);

/// <summary>One entry of the person's change log.</summary>
public sealed record PersonChange(long Sequence, string ChangeType, DateTimeOffset RecordedAt);
