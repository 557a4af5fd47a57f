namespace PopInfo.Contracts.Identity;

/// <summary>
/// Event, version 1: an OAuth client was suspended or activated at the identity provider. A department is one
/// identity across the platform (client <c>dept-{code}</c>): the exchange, hearing that a department's client is
/// suspended, stops its queue and webhook deliveries and its broker access too; tokens stop by themselves within
/// a minute everywhere.
/// </summary>
/// <remarks>Namespace and name are part of the contract: never move them; evolve by adding optional properties.</remarks>
public sealed record ClientStatusChanged
{
    /// <summary>The client's id, e.g. <c>dept-health</c>.</summary>
    public required string ClientId { get; init; }

    /// <summary><c>active</c> or <c>suspended</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The client's version after the change (the provider's optimistic version), to order repeated changes.</summary>
    public required int Version { get; init; }

    /// <summary>When it changed (UTC).</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>Who changed it (an administrator's user name).</summary>
    public required string ChangedBy { get; init; }
}
