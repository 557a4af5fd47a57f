using Microsoft.AspNetCore.Mvc;

namespace PopInfo.Registry.Commands;

/// <summary>
/// The answer to a command: the stored JSON of an applied change (the same bytes on every repeat of
/// the command id), or a problem. A problem found by the rules is not stored (the same command meets the same
/// rules again); a refusal by the database itself is, so that a redelivery is answered without a second attempt.
/// </summary>
public sealed record CommandOutcome(int StatusCode, string? Json, ProblemDetails? Problem, Guid? PersonId)
{
    public bool Applied => Problem is null;

    public static CommandOutcome Refused(ProblemDetails problem) => new(problem.Status ?? 400, null, problem, null);
}
