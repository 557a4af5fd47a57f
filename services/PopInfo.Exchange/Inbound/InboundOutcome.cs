using Microsoft.AspNetCore.Mvc;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Either what was asked for, or the problem that stopped it (nothing stored). The inbound records' own result, kept
/// while the inbound path is rewritten onto the registry-command outbox: its refusals travel in each record's answer
/// and in the stored refusals as problem details. New code returns <see cref="ServiceDefaults.Outcomes.Result{T}"/>.
/// </summary>
public sealed record Outcome<T>(T? Value, ProblemDetails? Problem)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ProblemDetails problem) => new(default, problem);
}
