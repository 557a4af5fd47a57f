using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Audit;

/// <summary>The SQL of the provider's audit (<see cref="AuditLog.Table"/>, a hash chain): appends a row, reads rows after an id.</summary>
public sealed class AuditLogStore([FromKeyedServices(IdentityModule.Name)] ServiceDatabase database)
{
    /// <summary>Appends one row (its columns' values by name) to the chain, in a transaction of its own.</summary>
    public async Task AppendAsync(IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await AuditLog.Table.AppendAsync(connection, null, database.Dialect, values, ct);
    }

    /// <summary>Rows after <paramref name="after"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AuditLog.Row>> ReadAsync(long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<AuditLog.Row>(new CommandDefinition(ReadSql(database.Dialect), new { after, limit }, cancellationToken: ct))];
    }

    internal static string ReadSql(SqlDialect dialect) =>
        $"SELECT id, at, actor, actor_role, action, target, outcome, detail, remote_address FROM audit_log WHERE id > @after ORDER BY id{dialect.Limit("@limit")}";
}
