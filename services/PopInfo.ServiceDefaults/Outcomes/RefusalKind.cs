namespace PopInfo.ServiceDefaults.Outcomes;

/// <summary>
/// Why the application refused a request, in its own words: the endpoint layer (<see cref="Problems.RefusalProblems"/>)
/// turns each kind into its HTTP status and problem type; nothing here knows HTTP.
/// </summary>
public enum RefusalKind
{
    /// <summary>The request breaks rules, each named by its field and rule (<see cref="Refusal.Violations"/>).</summary>
    Invalid,

    /// <summary>
    /// The request's body could not be read as what it must be (a value of the wrong JSON type, <c>"birthDate": 12</c>):
    /// each unreadable field named in <see cref="Refusal.Violations"/>, like <see cref="Invalid"/>.
    /// </summary>
    Unreadable,

    /// <summary>What the request names does not exist.</summary>
    NotFound,

    /// <summary>The request conflicts with what is stored (a unique number, a state that does not allow it).</summary>
    Conflict,

    /// <summary>The record changed since the caller read it (the version the caller sent is not the current one).</summary>
    VersionConflict,

    /// <summary>The version the caller conditions the change on (If-Match) is not the current one, or names no record.</summary>
    PreconditionFailed,

    /// <summary>A change to an existing record names no version to change.</summary>
    PreconditionRequired,

    /// <summary>A command id already used for a different request.</summary>
    CommandIdReused,

    /// <summary>The caller is known but may not do this, under the named rule.</summary>
    Forbidden,

    /// <summary>The service (or one it needs) cannot answer now; the caller tries again after <see cref="Refusal.RetryAfterSeconds"/>.</summary>
    Busy,

    /// <summary>The caller has used up a limit or a quota for now; it tries again after <see cref="Refusal.RetryAfterSeconds"/>.</summary>
    RateLimited,

    /// <summary>Another service the answer is made from did not give its facts.</summary>
    SourceUnavailable,
}
