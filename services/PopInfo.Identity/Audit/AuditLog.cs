using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Audit;

/// <summary>
/// Every administrative action and every sign-in, refused ones included: who (account or client), in which role,
/// from where, what, on what, with what outcome. Never a password, secret or token.
/// </summary>
public sealed class AuditLog([FromKeyedServices(IdentityModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    public sealed record Entry(string Actor, string? ActorRole, string Action, string? Target, string Outcome, string? Detail = null, string? RemoteAddress = null);

    public async Task WriteAsync(Entry entry, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (at, actor, actor_role, action, target, outcome, detail, remote_address)
            VALUES (@at, @Actor, @ActorRole, @Action, @Target, @Outcome, @Detail, @RemoteAddress)
            """,
            new { at = clock.GetUtcNow(), entry.Actor, entry.ActorRole, entry.Action, entry.Target, entry.Outcome, entry.Detail, entry.RemoteAddress },
            cancellationToken: ct));
    }

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

    public async Task<IReadOnlyList<Row>> ReadAsync(long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id, at, actor, actor_role, action, target, outcome, detail, remote_address FROM audit_log WHERE id > @after ORDER BY id LIMIT @limit",
            new { after, limit }, cancellationToken: ct))];
    }
}
