using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Registry.Commands;

/// <summary>What a command decides given the current state: a new version of the person, or a refusal.</summary>
public abstract record Decision
{
    public static Decision Accept(PersonRecord record, string changeType, DateTimeOffset occurredAt) =>
        new Accepted(record, changeType, occurredAt);

    public static Decision Reject(Refusal refusal) => new Rejected(refusal);
}

public sealed record Accepted(PersonRecord Record, string ChangeType, DateTimeOffset OccurredAt) : Decision;

public sealed record Rejected(Refusal Refusal) : Decision;
