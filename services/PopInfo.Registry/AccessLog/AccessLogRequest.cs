namespace PopInfo.Registry.AccessLog;

/// <summary>An auditor's question: who read this person in the register? (The identity number in the body, never the URL.)</summary>
/// <param name="PersonId">The person by id; or</param>
/// <param name="IdNumber">the person by identity number (exactly one of the two).</param>
/// <param name="From">Only reads at or after this time.</param>
/// <param name="To">Only reads before this time.</param>
/// <param name="After">A page of reads with an id above this one (default 0).</param>
/// <param name="Limit">At most this many reads (1–1000, default 100).</param>
/// <param name="OnBehalfOf">The auditor's user name, when a service (the sharing service) asks for one.</param>
public sealed record AccessLogRequest(
    Guid? PersonId, string? IdNumber, DateTimeOffset? From, DateTimeOffset? To, long? After, int? Limit, string? OnBehalfOf);
