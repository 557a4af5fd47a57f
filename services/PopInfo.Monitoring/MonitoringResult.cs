using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring;

/// <summary>Why a monitoring request did not succeed, as the application says it (endpoints turn it into a problem answer).</summary>
public enum MonitoringFailure
{
    /// <summary>The request breaks rules (<see cref="MonitoringResult{T}.Violations"/>).</summary>
    Invalid,

    NotFound,

    /// <summary>The record changed since the caller read it: the caller reads again (<see cref="MonitoringResult{T}.CurrentVersion"/>).</summary>
    VersionConflict,
}

/// <summary>What the monitoring application answers: a value, or why not (no HTTP in it; endpoints map it).</summary>
public sealed record MonitoringResult<T>(T? Value, MonitoringFailure? Failure, IReadOnlyList<RuleViolation> Violations, string? Detail = null,
    int? ExpectedVersion = null, int? CurrentVersion = null)
{
    public bool Succeeded => Failure is null;

    public static implicit operator MonitoringResult<T>(T value) => new(value, null, []);
}

/// <summary>Makes failed <see cref="MonitoringResult{T}"/> values, and maps them to problem details.</summary>
public static class MonitoringResult
{
    public static MonitoringResult<T> Invalid<T>(IReadOnlyList<RuleViolation> violations) => new(default, MonitoringFailure.Invalid, violations);

    public static MonitoringResult<T> NotFound<T>(string detail) => new(default, MonitoringFailure.NotFound, [], detail);

    public static MonitoringResult<T> Conflict<T>(int expected, int current) =>
        new(default, MonitoringFailure.VersionConflict, [], null, expected, current);

    /// <summary>The problem answer of a failed result (RFC 9457, docs/api-errors.md).</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails Problem<T>(MonitoringResult<T> result) => result.Failure switch
    {
        MonitoringFailure.Invalid => ServiceDefaults.Problems.Problem.Validation(result.Violations.ToList()),
        MonitoringFailure.NotFound => ServiceDefaults.Problems.Problem.NotFound(result.Detail ?? "Not found."),
        MonitoringFailure.VersionConflict => ServiceDefaults.Problems.Problem.VersionConflict(result.ExpectedVersion ?? 0, result.CurrentVersion ?? 0),
        _ => throw new InvalidOperationException("A successful result has no problem."),
    };
}
