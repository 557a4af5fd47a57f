using Microsoft.AspNetCore.Mvc;
using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Commands;

/// <summary>What a command decides given the current state: a new version of the person, or a refusal.</summary>
public abstract record Decision
{
    public static Decision Accept(PersonRecord record, string changeType, DateTimeOffset occurredAt) =>
        new Accepted(record, changeType, occurredAt);

    public static Decision Reject(ProblemDetails problem) => new Rejected(problem);
}

public sealed record Accepted(PersonRecord Record, string ChangeType, DateTimeOffset OccurredAt) : Decision;

public sealed record Rejected(ProblemDetails Problem) : Decision;
