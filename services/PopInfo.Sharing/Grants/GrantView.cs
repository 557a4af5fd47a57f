using PopInfo.Domain.Sharing;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// A department's grant as the administrator and the department read it: the domain's <see cref="SharingGrant"/> under
/// the department's client id, its status and its version (the <c>ETag</c>).
/// </summary>
public sealed record GrantView(
    string ClientId, IReadOnlyList<string> Operations, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<string> Regions,
    IReadOnlyList<string> Purposes, int RequestsPerMinute, int DailyQuota, bool MayTellNotFound, string Status, int Version,
    DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public bool IsActive => Status == GrantStatus.Active;

    /// <summary>The grant as the domain's rules take it.</summary>
    public SharingGrant ToGrant() => new(
        ClientId, Operations.ToHashSet(StringComparer.Ordinal), Fields, Regions, Purposes.ToHashSet(StringComparer.Ordinal),
        RequestsPerMinute, DailyQuota, MayTellNotFound);
}

public static class GrantStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}

/// <summary>
/// What an administrator puts: the whole grant. <c>expectedVersion</c> is the version read (or send <c>If-Match</c>);
/// absent, with no <c>If-Match</c>, the grant must not exist yet. Absent lists are empty.
/// </summary>
public sealed record GrantRequest(
    IReadOnlyList<string>? Operations, IReadOnlyDictionary<string, string>? Fields, IReadOnlyList<string>? Regions,
    IReadOnlyList<string>? Purposes, int? RequestsPerMinute, int? DailyQuota, bool? MayTellNotFound, int? ExpectedVersion)
{
    public SharingGrant ToGrant(string clientId) => new(
        clientId, (Operations ?? []).ToHashSet(StringComparer.Ordinal), Fields ?? new Dictionary<string, string>(), Regions ?? [],
        (Purposes ?? []).ToHashSet(StringComparer.Ordinal), RequestsPerMinute ?? 0, DailyQuota ?? 0, MayTellNotFound ?? false);
}

/// <summary>One entry of a grant's change trail: who changed it, when, what it was before and after.</summary>
public sealed record GrantChange(long Id, DateTimeOffset At, string Actor, string? RemoteAddress, string ClientId, string Action,
    System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After);
