using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Audit;

/// <summary>
/// Every administrative action and every sign-in, refused ones included: who (account or client), in which role,
/// from where, what, on what, with what outcome. Never a password, secret or token. The rows form the hash chain the
/// desk's and the exchange's audit trails form (<see cref="AuditTable"/>; docs/database-roles.md, "Audit chain"), which
/// <c>popinfo-audit verify</c> checks.
/// </summary>
public sealed class AuditLog(AuditLogStore store, TimeProvider clock)
{
    public sealed record Entry(string Actor, string? ActorRole, string Action, string? Target, string Outcome, string? Detail = null, string? RemoteAddress = null);

    /// <summary>The provider's audit table: a hash chain; its runtime role may only add to it and read it.</summary>
    public static readonly AuditTable Table = new("audit_log",
        new("at", AuditValue.Time), new("actor"), new("actor_role"), new("action"), new("target"), new("outcome"), new("detail"), new("remote_address"));

    public Task WriteAsync(Entry entry, CancellationToken ct) =>
        store.AppendAsync(new Dictionary<string, object?>
        {
            ["at"] = clock.GetUtcNow(),
            ["actor"] = entry.Actor,
            ["actor_role"] = entry.ActorRole,
            ["action"] = entry.Action,
            ["target"] = entry.Target,
            ["outcome"] = entry.Outcome,
            ["detail"] = entry.Detail,
            ["remote_address"] = entry.RemoteAddress,
        }, ct);

    public sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Actor { get; init; } = "";
        public string? Actor_Role { get; init; }
        public string Action { get; init; } = "";
        public string? Target { get; init; }
        public string Outcome { get; init; } = "";
        public string? Detail { get; init; }
        public string? Remote_Address { get; init; }
    }

    public Task<IReadOnlyList<Row>> ReadAsync(long after, int limit, CancellationToken ct) => store.ReadAsync(after, limit, ct);
}
