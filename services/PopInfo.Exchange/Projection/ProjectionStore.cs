using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

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

    /// <summary>
    /// Moves each touched department's cursor, then the position to <paramref name="last"/>, in the work's transaction and
    /// in one round trip (a change touches up to every department: one UPDATE each cost a round trip each on the fan-out's
    /// path), fenced by the projector's lease in the same command: when another instance leads now,
    /// <see cref="LeaseLostException"/> before the commit, and the work's events are rolled back with the cursors.
    /// </summary>
    public static Task MoveAsync(UnitOfWork work, IReadOnlyList<DepartmentCursor> touched, string name, long last, LeaseFence fence, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new { last, name });
        for (var i = 0; i < touched.Count; i++)
        {
            parameters.Add($"c{i}", touched[i].Code);
            parameters.Add($"s{i}", touched[i].LastSequence);
        }

        return LeaseStore.WriteFencedAsync(work.Connection, work.Transaction, MoveSql(work.Dialect, touched.Count), parameters, fence, ct);
    }

    /// <summary>
    /// The statements of <see cref="MoveAsync"/> for <paramref name="departments"/> touched departments (parameters
    /// <c>@c{i}</c> and <c>@s{i}</c>, <c>@last</c>, <c>@name</c>, the fence's): a CASE over the codes, which every product here
    /// reads alike, the position, and the fence last (its returned epoch is the command's one result).
    /// </summary>
    public static string MoveSql(SqlDialect dialect, int departments)
    {
        var position = "UPDATE projection_position SET last_sequence = @last WHERE name = @name;\n" + LeaseStore.FenceSql(dialect);
        if (departments == 0)
        {
            return position;
        }

        var cases = string.Concat(Enumerable.Range(0, departments).Select(i => $" WHEN @c{i} THEN @s{i}"));
        var codes = string.Join(", ", Enumerable.Range(0, departments).Select(i => $"@c{i}"));
        return $"UPDATE departments SET last_sequence = CASE code{cases} END WHERE code IN ({codes});\n{position}";
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
