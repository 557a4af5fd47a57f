using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Data;

/// <summary>The register's reads: a person now or as of a past time, their history, households, and the change feed.</summary>
public sealed class PersonReadStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    public async Task<PersonVersion?> GetAsync(Guid id, DateTimeOffset? asOf, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<PersonVersionRow>(new CommandDefinition(
            $"SELECT {PersonVersionRow.Columns} FROM persons WHERE id = @id", new { id }, cancellationToken: ct));
        if (current is null || asOf is null || current.Recorded_At <= asOf)
        {
            return current?.ToVersion();
        }

        // As the register knew it at that time: the last version recorded at or before it.
        var past = await connection.QueryFirstOrDefaultAsync<PersonVersionRow>(new CommandDefinition(
            AsOfSql(database.Dialect),
            new { id, asOf = asOf.Value.ToUniversalTime() }, cancellationToken: ct));
        return past?.ToVersion();
    }

    /// <summary>
    /// The version a command already applied wrote, read from its stored answer; null when the command id has no answer
    /// or its answer was a refusal.
    /// </summary>
    public async Task<int?> VersionWrittenByAsync(Guid commandId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var stored = await connection.QuerySingleOrDefaultAsync<StoredCommand>(new CommandDefinition(StoredCommand.ByIdSql, new { commandId }, cancellationToken: ct));
        return stored is { Status_Code: >= 200 and < 300 } ? JsonSerializer.Deserialize<ChangeResult>(stored.Response, Json.Options)?.Version : null;
    }

    public async Task<PersonVersion?> GetByIdNumberAsync(string idNumber, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PersonVersionRow>(new CommandDefinition(
            $"SELECT {PersonVersionRow.Columns} FROM persons WHERE id_number = @idNumber", new { idNumber = idNumber.ToUpperInvariant() }, cancellationToken: ct));
        return row?.ToVersion();
    }

    /// <summary>People with exactly this name (the desk's search), at most <paramref name="limit"/>, by identity number.</summary>
    public async Task<IReadOnlyList<PersonVersion>> FindByNameAsync(string name, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PersonVersionRow>(new CommandDefinition(
            FindByNameSql(database.Dialect),
            new { name = name.Trim(), limit }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToVersion())];
    }

    /// <summary>The id of the household with this number, if any.</summary>
    public async Task<Guid?> HouseholdIdByNumberAsync(string number, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM households WHERE number = @number", new { number = number.Trim() }, cancellationToken: ct));
    }

    /// <summary>Every version, oldest first; empty when the person is unknown.</summary>
    public async Task<IReadOnlyList<PersonVersion>> HistoryAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PersonVersionRow>(new CommandDefinition(
            $"""
            SELECT {PersonVersionRow.Columns} FROM person_history WHERE person_id = @id
            UNION ALL
            SELECT {PersonVersionRow.Columns} FROM persons WHERE id = @id
            ORDER BY 2
            """, new { id }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToVersion())];
    }

    /// <summary>
    /// Change-log entries after <paramref name="after"/>, in sequence order (the change feed), on the replica when there is
    /// one. It never skips one, there either: a sequence is taken under the counter row's lock held to commit (ADR 0001), so
    /// commits come in sequence order, and a replica replays commits in the primary's order — what it has replayed is
    /// always a gap-free prefix of the log, and an <paramref name="after"/> beyond it is answered "nothing yet", to be
    /// asked again.
    /// </summary>
    public async Task<IReadOnlyList<PersonChanged>> ChangesAsync(long after, int limit, CancellationToken ct) =>
        (await ReadChangesAsync(after, limit, ct)).Changes;

    /// <summary>
    /// <see cref="ChangesAsync"/>, and whether the entries were read on the replica (which may not have replayed the latest
    /// commits yet) or on the primary (with none, or once the read has fallen back to it).
    /// </summary>
    public async Task<(IReadOnlyList<PersonChanged> Changes, bool FromReplica)> ReadChangesAsync(long after, int limit, CancellationToken ct)
    {
        var reads = database.Reads;
        var changes = await reads.ReadAsync<IReadOnlyList<PersonChanged>>(async c =>
        {
            await using var connection = await reads.OpenConnectionAsync(c);
            // With each entry's trace context, so that a service filling a gap from the feed continues the change's trace.
            var rows = await connection.QueryAsync<ChangeLogRow>(new CommandDefinition(ChangesSql(database.Dialect), new { after, limit }, cancellationToken: c));
            return [.. rows.Select(r => r.ToChange())];
        }, ct);
        return (changes, reads.IsReplica);
    }

    internal static string AsOfSql(SqlDialect dialect) =>
        $"SELECT {PersonVersionRow.Columns} FROM person_history WHERE person_id = @id AND recorded_at <= @asOf ORDER BY version DESC{dialect.Limit("1")}";

    internal static string FindByNameSql(SqlDialect dialect) =>
        $"SELECT {PersonVersionRow.Columns} FROM persons WHERE name = @name ORDER BY id_number{dialect.Limit("@limit")}";

    internal static string ChangesSql(SqlDialect dialect) =>
        $"SELECT {ChangeLogRow.Columns} FROM change_log WHERE sequence > @after ORDER BY sequence{dialect.Limit("@limit")}";

    public async Task<RelayStatus> RelayStatusAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM change_sequence WHERE id = 1", cancellationToken: ct));
        var published = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM relay_position WHERE name = @name", new { name = Relay.ChangeLogRelay.PositionName }, cancellationToken: ct));
        return new RelayStatus(last, published, last - published);
    }

    public async Task<HouseholdView?> GetHouseholdAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var household = await connection.QuerySingleOrDefaultAsync<HouseholdRow>(new CommandDefinition(
            "SELECT id AS Id, number AS Number, address AS Address, region_code AS Region_Code FROM households WHERE id = @id",
            new { id }, cancellationToken: ct));
        if (household is null)
        {
            return null;
        }

        var members = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT record FROM persons WHERE household_id = @id AND status = 'living' ORDER BY id", new { id }, cancellationToken: ct));
        return new HouseholdView(household.Id, household.Number, household.Address, household.Region_Code,
            [.. members.Select(m => JsonSerializer.Deserialize<PersonRecord>(m, Json.Options)!)
                .Select(p => new HouseholdMember(p.PersonId, p.Name, p.RelationshipToHead ?? ""))]);
    }

    private sealed class HouseholdRow
    {
        public Guid Id { get; init; }
        public string Number { get; init; } = "";
        public string Address { get; init; } = "";
        public string Region_Code { get; init; } = "";
    }
}

public sealed record RelayStatus(long LastSequence, long PublishedSequence, long Backlog);

public sealed record HouseholdView(Guid Id, string Number, string Address, string RegionCode, IReadOnlyList<HouseholdMember> Members);

public sealed record HouseholdMember(Guid PersonId, string Name, string RelationshipToHead);
