using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// The projection's own state (<see cref="ChangeProjector"/>): its position in the register's change log, and each active
/// department's cursor — its last sequence, moved as the projection numbers the department's events.
/// </summary>
public sealed class ProjectionStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    private const string PositionSql = "SELECT last_sequence FROM projection_position WHERE name = @name";

    /// <summary>The last register sequence projected (read on a connection of its own).</summary>
    public async Task<long> PositionAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(PositionSql, new { name }, cancellationToken: ct));
    }

    /// <summary>The last register sequence projected, read in the work's transaction.</summary>
    public static Task<long> PositionAsync(UnitOfWork work, string name, CancellationToken ct) =>
        work.Connection.ExecuteScalarAsync<long>(new CommandDefinition(PositionSql, new { name }, work.Transaction, cancellationToken: ct));

    /// <summary>Every active department's cursor (its last sequence, and whether it has a webhook), by code.</summary>
    public static async Task<Dictionary<string, DepartmentCursor>> DepartmentCursorsAsync(UnitOfWork work, CancellationToken ct) =>
        (await work.Connection.QueryAsync<DepartmentCursor>(new CommandDefinition(
            "SELECT code AS Code, last_sequence AS LastSequence, webhook_url AS WebhookUrl FROM departments WHERE status = 'active'",
            transaction: work.Transaction, cancellationToken: ct))).ToDictionary(d => d.Code, StringComparer.Ordinal);

    /// <summary>Moves each touched department's cursor, then the position to <paramref name="last"/>, in the work's transaction.</summary>
    public static async Task MoveAsync(UnitOfWork work, IEnumerable<DepartmentCursor> touched, string name, long last, CancellationToken ct)
    {
        foreach (var department in touched)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE departments SET last_sequence = @LastSequence WHERE code = @Code", department, work.Transaction, cancellationToken: ct));
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE projection_position SET last_sequence = @last WHERE name = @name",
            new { last, name }, work.Transaction, cancellationToken: ct));
    }

    /// <summary>An active department as the projection numbers its events: <see cref="LastSequence"/> grows, <see cref="Touched"/> says it did.</summary>
    public sealed class DepartmentCursor
    {
        public string Code { get; init; } = "";
        public long LastSequence { get; set; }
        public string? WebhookUrl { get; init; }
        public bool Touched { get; set; }
    }
}
