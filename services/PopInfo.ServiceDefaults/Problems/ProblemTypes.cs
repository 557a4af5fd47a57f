namespace PopInfo.ServiceDefaults.Problems;

/// <summary>The <c>type</c> URIs of PopInfo's RFC 9457 problem details; docs/api-errors.md explains each.</summary>
public static class ProblemTypes
{
    public const string Validation = "urn:popinfo:problem:validation";
    public const string NotFound = "urn:popinfo:problem:not-found";
    public const string VersionConflict = "urn:popinfo:problem:version-conflict";
    public const string Conflict = "urn:popinfo:problem:conflict";
    public const string IdempotencyKeyReused = "urn:popinfo:problem:idempotency-key-reused";
    public const string Unauthorized = "urn:popinfo:problem:unauthorized";
    public const string Forbidden = "urn:popinfo:problem:forbidden";
    public const string Busy = "urn:popinfo:problem:busy";
    public const string RateLimited = "urn:popinfo:problem:rate-limited";
    public const string MalformedRequest = "urn:popinfo:problem:malformed-request";
    public const string SourceUnavailable = "urn:popinfo:problem:source-unavailable";
}
