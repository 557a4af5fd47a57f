using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Sharing.Grants;

/// <summary>Reads and writes grants and their change trail (plain SQL both PostgreSQL and SQLite accept).</summary>
public sealed class GrantStore([FromKeyedServices(SharingModule.Name)] ServiceDatabase database)
{
    private const string Columns =
        "client_id AS ClientId, operations AS Operations, fields AS Fields, regions AS Regions, purposes AS Purposes, " +
        "requests_per_minute AS RequestsPerMinute, daily_quota AS DailyQuota, may_tell_not_found AS MayTellNotFound, status AS Status, " +
        "version AS Version, updated_at AS UpdatedAt, updated_by AS UpdatedBy";

    public ServiceDatabase Database => database;

    public async Task<IReadOnlyList<GrantView>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<GrantRow>(new CommandDefinition($"SELECT {Columns} FROM grants ORDER BY client_id", cancellationToken: ct));
        return [.. rows.Select(r => r.ToView())];
    }

    public async Task<GrantView?> GetAsync(string clientId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await GetAsync(connection, null, clientId, forUpdate: false, ct);
    }

    /// <summary>The grant, locked until the transaction ends when <paramref name="forUpdate"/> (PostgreSQL; SQLite has one writer).</summary>
    private async Task<GrantView?> GetAsync(DbConnection connection, DbTransaction? transaction, string clientId, bool forUpdate, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<GrantRow>(new CommandDefinition(
            forUpdate ? LockSql(database.Dialect) : $"SELECT {Columns} FROM grants WHERE client_id = @clientId",
            new { clientId }, transaction, cancellationToken: ct));
        return row?.ToView();
    }

    /// <summary>
    /// One grant change as one unit of work: reads the grant locked, asks <paramref name="decide"/> (plain values) what to
    /// write — null: nothing, the transaction rolls back — then writes the grant (null after: deleted) and its change-trail
    /// entry (at <paramref name="clock"/>'s now, after the grant's write) and commits. <see cref="GrantChangeOutcome.CreatedMeanwhile"/>:
    /// another administrator created the grant between the read and the insert (a unique violation; nothing written).
    /// </summary>
    public async Task<GrantChangeOutcome> ChangeAsync(string clientId, Func<GrantView?, GrantWrite?> decide, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await GetAsync(connection, transaction, clientId, forUpdate: true, ct);
        if (decide(current) is not { } write)
        {
            return GrantChangeOutcome.Unchanged;
        }

        try
        {
            if (write.After is null)
            {
                await DeleteAsync(connection, transaction, clientId, current!.Version, ct);
            }
            else if (current is null)
            {
                await InsertAsync(connection, transaction, write.After, ct);
            }
            else
            {
                await UpdateAsync(connection, transaction, write.After, current.Version, ct);
            }
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e, out _))
        {
            return GrantChangeOutcome.CreatedMeanwhile;
        }

        await AppendChangeAsync(connection, transaction, write.Caller, clock.GetUtcNow(), clientId, write.Action, current, write.After, ct);
        await transaction.CommitAsync(ct);
        return GrantChangeOutcome.Written;
    }

    /// <summary>Appends a change-trail entry (<see cref="GrantChanges.Table"/>) in the change's transaction.</summary>
    private Task<long> AppendChangeAsync(DbConnection connection, DbTransaction transaction, SharingCaller caller,
        DateTimeOffset at, string clientId, string action, GrantView? before, GrantView? after, CancellationToken ct) =>
        GrantChanges.Table.AppendAsync(connection, transaction, database.Dialect, new Dictionary<string, object?>
        {
            ["at"] = at,
            ["actor"] = caller.Actor,
            ["remote_address"] = caller.RemoteAddress,
            ["client_id"] = clientId,
            ["action"] = action,
            ["before"] = before is null ? null : JsonSerializer.Serialize(before, Json.Options),
            ["after"] = after is null ? null : JsonSerializer.Serialize(after, Json.Options),
        }, ct);

    private static Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, GrantView grant, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO grants (client_id, operations, fields, regions, purposes, requests_per_minute, daily_quota, may_tell_not_found, status, version, updated_at, updated_by) " +
            "VALUES (@ClientId, @Operations, @Fields, @Regions, @Purposes, @RequestsPerMinute, @DailyQuota, @MayTellNotFound, @Status, @Version, @UpdatedAt, @UpdatedBy)",
            GrantRow.From(grant), transaction, cancellationToken: ct));

    /// <summary>Replaces the grant if it is still at <paramref name="expectedVersion"/>; false when it is not (or gone).</summary>
    private static async Task<bool> UpdateAsync(DbConnection connection, DbTransaction transaction, GrantView grant, int expectedVersion, CancellationToken ct)
    {
        var row = GrantRow.From(grant);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE grants SET operations = @Operations, fields = @Fields, regions = @Regions, purposes = @Purposes, " +
            "requests_per_minute = @RequestsPerMinute, daily_quota = @DailyQuota, may_tell_not_found = @MayTellNotFound, status = @Status, " +
            "version = @Version, updated_at = @UpdatedAt, updated_by = @UpdatedBy WHERE client_id = @ClientId AND version = @expectedVersion",
            new
            {
                row.ClientId, row.Operations, row.Fields, row.Regions, row.Purposes, row.RequestsPerMinute, row.DailyQuota, row.MayTellNotFound,
                row.Status, row.Version, row.UpdatedAt, row.UpdatedBy, expectedVersion,
            }, transaction, cancellationToken: ct)) == 1;
    }

    private static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string clientId, int expectedVersion, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM grants WHERE client_id = @clientId AND version = @expectedVersion", new { clientId, expectedVersion }, transaction, cancellationToken: ct)) == 1;

    /// <summary>A grant's change trail after an id, oldest first.</summary>
    public async Task<IReadOnlyList<GrantChange>> ChangesAsync(string clientId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(ChangesSql(database.Dialect), new { clientId, after, limit }, cancellationToken: ct));
        return [.. rows.Select(r => new GrantChange(r.Id, r.At, r.Actor, r.RemoteAddress, r.ClientId, r.Action, Parse(r.Before), Parse(r.After)))];
    }

    internal static string LockSql(SqlDialect dialect) =>
        $"SELECT {Columns} FROM grants{dialect.UpdateLockHint} WHERE client_id = @clientId{dialect.ForUpdate}";

    internal static string ChangesSql(SqlDialect dialect) =>
        "SELECT id AS Id, at AS At, actor AS Actor, remote_address AS RemoteAddress, client_id AS ClientId, action AS Action, before AS Before, after AS After " +
        $"FROM grant_changes WHERE client_id = @clientId AND id > @after ORDER BY id{dialect.Limit("@limit")}";

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    private sealed class ChangeRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Actor { get; init; } = "";
        public string? RemoteAddress { get; init; }
        public string ClientId { get; init; } = "";
        public string Action { get; init; } = "";
        public string? Before { get; init; }
        public string? After { get; init; }
    }

    /// <summary>A grant as stored: its lists and field masks as JSON text.</summary>
    private sealed class GrantRow
    {
        public string ClientId { get; init; } = "";
        public string Operations { get; init; } = "[]";
        public string Fields { get; init; } = "{}";
        public string Regions { get; init; } = "[]";
        public string Purposes { get; init; } = "[]";
        public int RequestsPerMinute { get; init; }
        public int DailyQuota { get; init; }
        public bool MayTellNotFound { get; init; }
        public string Status { get; init; } = GrantStatus.Active;
        public int Version { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string UpdatedBy { get; init; } = "";

        public GrantView ToView() => new(
            ClientId, Read<List<string>>(Operations), Read<Dictionary<string, string>>(Fields), Read<List<string>>(Regions), Read<List<string>>(Purposes),
            RequestsPerMinute, DailyQuota, MayTellNotFound, Status, Version, UpdatedAt, UpdatedBy);

        public static GrantRow From(GrantView g) => new()
        {
            ClientId = g.ClientId,
            Operations = JsonSerializer.Serialize(g.Operations, Json.Options),
            Fields = JsonSerializer.Serialize(g.Fields, Json.Options),
            Regions = JsonSerializer.Serialize(g.Regions, Json.Options),
            Purposes = JsonSerializer.Serialize(g.Purposes, Json.Options),
            RequestsPerMinute = g.RequestsPerMinute,
            DailyQuota = g.DailyQuota,
            MayTellNotFound = g.MayTellNotFound,
            Status = g.Status,
            Version = g.Version,
            UpdatedAt = g.UpdatedAt,
            UpdatedBy = g.UpdatedBy,
        };

        private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json.Options)!;
    }
}

/// <summary>What a grant change writes (<see cref="GrantStore.ChangeAsync"/>): the grant after (null: delete it), its change-trail action and who.</summary>
public sealed record GrantWrite(GrantView? After, string Action, SharingCaller Caller);

/// <summary>How a grant change (<see cref="GrantStore.ChangeAsync"/>) ended.</summary>
public enum GrantChangeOutcome
{
    /// <summary>Nothing to write: rolled back.</summary>
    Unchanged,

    /// <summary>The grant and its change-trail entry committed.</summary>
    Written,

    /// <summary>Another administrator created the grant between the read and the insert: nothing written.</summary>
    CreatedMeanwhile,
}
