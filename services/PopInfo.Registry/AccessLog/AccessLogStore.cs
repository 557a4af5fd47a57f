using System.Text;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.AccessLog;

/// <summary>Reads one person's entries of the read audit and their change log.</summary>
public sealed class AccessLogStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    public async Task<Guid?> PersonIdAsync(Guid? personId, string? idNumber, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return personId is { } id
            ? await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("SELECT id FROM persons WHERE id = @id", new { id }, cancellationToken: ct))
            : await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                "SELECT id FROM persons WHERE id_number = @idNumber", new { idNumber }, cancellationToken: ct));
    }

    /// <summary>
    /// Reads that named the person (<c>read_audit_persons</c>) and feed reads whose stretch held one of the person's
    /// sequences, after the read id <paramref name="after"/>, within [from, to), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<ReadRow>> ReadsAsync(Guid personId, long after, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<ReadRow>(new CommandDefinition(ReadsSql(database.Dialect, from is not null, to is not null),
            new { personId, after, from = from?.ToUniversalTime(), to = to?.ToUniversalTime(), limit }, cancellationToken: ct))];
    }

    internal static string ReadsSql(SqlDialect dialect) => ReadsSql(dialect, from: true, to: true);

    private static string ReadsSql(SqlDialect dialect, bool from, bool to)
    {
        var sql = new StringBuilder(
            """
            SELECT id AS Id, at AS At, client AS Client, subject AS Subject, action AS Action, detail AS Detail, via AS Via FROM (
                SELECT a.id, a.at, a.client, a.subject, a.action, a.detail, 'person' AS via
                FROM read_audit_persons p JOIN read_audit a ON a.id = p.audit_id
                WHERE p.person_id = @personId AND p.audit_id > @after
                UNION
                SELECT a.id, a.at, a.client, a.subject, a.action, a.detail, 'feed' AS via
                FROM change_log c JOIN read_audit a ON a.last_sequence >= c.sequence AND a.first_sequence <= c.sequence
                WHERE c.person_id = @personId AND a.id > @after
            ) r WHERE 1 = 1
            """);
        // Times are compared in UTC: SQLite compares them as the text every time was written in.
        if (from)
        {
            sql.Append(" AND at >= @from");
        }

        if (to)
        {
            sql.Append(" AND at < @to");
        }

        sql.Append(" ORDER BY id").Append(dialect.Limit("@limit"));
        return sql.ToString();
    }

    public async Task<IReadOnlyList<ChangeRow>> ChangesAsync(Guid personId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            "SELECT sequence AS Sequence, change_type AS ChangeType, recorded_at AS RecordedAt FROM change_log WHERE person_id = @personId ORDER BY sequence",
            new { personId }, cancellationToken: ct))];
    }

    public sealed class ReadRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Client { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Action { get; init; } = "";
        public string? Detail { get; init; }
        public string Via { get; init; } = "";
    }

    public sealed class ChangeRow
    {
        public long Sequence { get; init; }
        public string ChangeType { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
    }
}
