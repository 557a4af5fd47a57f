using System.Security.Claims;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Data;

/// <summary>Records every read of persons before the answer leaves: who read, how, and which persons (by id).</summary>
public sealed class ReadAuditStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    /// <summary>
    /// Appends one read: the row, and one <c>read_audit_persons</c> row per person, in one transaction (a person's access
    /// log finds the read by the latter). A feed read gives the stretch of sequences it returned instead of persons.
    /// </summary>
    public Task WriteAsync(ClaimsPrincipal user, string action, IEnumerable<Guid> personIds, string? detail, CancellationToken ct) =>
        WriteAsync(user, action, personIds, detail, null, ct);

    /// <inheritdoc cref="WriteAsync(ClaimsPrincipal, string, IEnumerable{Guid}, string?, CancellationToken)"/>
    public async Task WriteAsync(ClaimsPrincipal user, string action, IEnumerable<Guid> personIds, string? detail, (long First, long Last)? sequences, CancellationToken ct)
    {
        var caller = TokenCaller.From(user);
        var persons = personIds.Distinct().ToList();
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = persons.Count == 0 ? null : await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql(database.Dialect),
            new
            {
                at = clock.GetUtcNow(), client = caller.Source, subject = caller.Subject, action,
                ids = persons.Count == 0 ? null : string.Join(',', persons), detail, first = sequences?.First, last = sequences?.Last,
            },
            transaction, cancellationToken: ct));
        if (transaction is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO read_audit_persons (person_id, audit_id) VALUES (@personId, @id)",
                persons.Select(personId => new { personId, id }), transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
    }

    public sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Client { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Action { get; init; } = "";
        public string? Person_Ids { get; init; }
        public string? Detail { get; init; }
    }

    /// <summary>The newest entries first (for tests and the coming monitoring of audits).</summary>
    public async Task<IReadOnlyList<Row>> LatestAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<Row>(new CommandDefinition(LatestSql(database.Dialect), new { limit }, cancellationToken: ct))];
    }

    internal static string InsertSql(SqlDialect dialect) =>
        $"""
        INSERT INTO read_audit (at, client, subject, action, person_ids, detail, first_sequence, last_sequence){dialect.Output("id")}
        VALUES (@at, @client, @subject, @action, @ids, @detail, @first, @last){dialect.Returning("id")}
        """;

    internal static string LatestSql(SqlDialect dialect) =>
        $"SELECT id, at, client, subject, action, person_ids, detail FROM read_audit ORDER BY id DESC{dialect.Limit("@limit")}";
}
