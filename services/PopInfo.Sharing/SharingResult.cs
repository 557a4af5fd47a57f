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

    /// <summary>The caller may not do this: its grant refuses it under the rule <see cref="SharingResult{T}.Violations"/> names.</summary>
    Refused,

    /// <summary>The department's daily quota is used up (<see cref="SharingResult{T}.Quota"/>).</summary>
    QuotaExceeded,

    /// <summary>The department's requests this minute passed its grant's rate limit (<see cref="SharingResult{T}.RateLimit"/>).</summary>
    RateLimited,

    /// <summary>The service cannot answer now (its copy of the register is being built, or the access audit cannot be stored).</summary>
    Unavailable,
}

/// <summary>What the sharing application answers: a value, or why not (no HTTP in it; endpoints map it).</summary>
public sealed record SharingResult<T>(
    T? Value, SharingFailure? Failure, IReadOnlyList<RuleViolation> Violations, int? CurrentVersion = null, string? Detail = null,
    Grants.QuotaDecision? Quota = null, int? RetryAfterSeconds = null, ServiceDefaults.Security.RateLimits.RateLimitDecision? RateLimit = null)
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

    public static SharingResult<T> Refused<T>(RuleViolation rule) => new(default, SharingFailure.Refused, [rule]);

    public static SharingResult<T> QuotaExceeded<T>(Grants.QuotaDecision decision) => new(default, SharingFailure.QuotaExceeded, [], Quota: decision);

    public static SharingResult<T> RateLimited<T>(ServiceDefaults.Security.RateLimits.RateLimitDecision decision) =>
        new(default, SharingFailure.RateLimited, [], RateLimit: decision);

    public static SharingResult<T> Unavailable<T>(string detail, int retryAfterSeconds) =>
        new(default, SharingFailure.Unavailable, [], Detail: detail, RetryAfterSeconds: retryAfterSeconds);
}
