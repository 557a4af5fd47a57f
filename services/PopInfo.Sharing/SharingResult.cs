using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Sharing;

/// <summary>Why a sharing request did not succeed, as the application says it (endpoints turn it into a problem answer).</summary>
public enum SharingFailure
{
    /// <summary>The request breaks rules (<see cref="SharingResult{T}.Violations"/>).</summary>
    Invalid,

    NotFound,

    /// <summary>The record changed since the caller read it (the version in the body): the caller reads again.</summary>
    VersionConflict,

    /// <summary>The caller's <c>If-Match</c> names another version, or a record that does not exist.</summary>
    PreconditionFailed,

    /// <summary>A change to an existing record names no version to change.</summary>
    PreconditionRequired,
}

/// <summary>What the sharing application answers: a value, or why not (no HTTP in it; endpoints map it).</summary>
public sealed record SharingResult<T>(T? Value, SharingFailure? Failure, IReadOnlyList<RuleViolation> Violations, int? CurrentVersion = null, string? Detail = null)
{
    public bool Succeeded => Failure is null;

    public static implicit operator SharingResult<T>(T value) => new(value, null, []);
}

/// <summary>Makes failed <see cref="SharingResult{T}"/> values.</summary>
public static class SharingResult
{
    public static SharingResult<T> Invalid<T>(IReadOnlyList<RuleViolation> violations) => new(default, SharingFailure.Invalid, violations);

    public static SharingResult<T> NotFound<T>(string detail) => new(default, SharingFailure.NotFound, [], Detail: detail);

    public static SharingResult<T> Failed<T>(SharingFailure failure, int? currentVersion, string detail) => new(default, failure, [], currentVersion, detail);
}
