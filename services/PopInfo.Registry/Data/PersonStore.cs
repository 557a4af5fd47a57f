using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Registry.Data;

/// <summary>The register's writes, all inside the caller's work (one transaction), which the caller commits or rolls back.</summary>
internal sealed class PersonStore(UnitOfWork work)
{
    private readonly DbConnection connection = work.Connection;
    private readonly DbTransaction? transaction = work.Transaction;
    private readonly SqlDialect dialect = work.Dialect;

    public SqlDialect Dialect => dialect;

    public Task<StoredCommand?> GetCommandAsync(Guid commandId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<StoredCommand>(new CommandDefinition(
            StoredCommand.ByIdSql, new { commandId }, transaction, cancellationToken: ct));

    public async Task<PersonVersion?> GetByIdAsync(Guid id, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PersonVersionRow>(new CommandDefinition(
            $"SELECT {PersonVersionRow.Columns} FROM persons WHERE id = @id", new { id }, transaction, cancellationToken: ct));
        return row?.ToVersion();
    }

    public async Task<PersonVersion?> GetByIdNumberAsync(string idNumber, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PersonVersionRow>(new CommandDefinition(
            $"SELECT {PersonVersionRow.Columns} FROM persons WHERE id_number = @idNumber", new { idNumber }, transaction, cancellationToken: ct));
        return row?.ToVersion();
    }

    public Task InsertPersonAsync(PersonVersion v, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO persons (id, id_number, version, name, sex, birth_date, residence_type, status, residence_region_code,
                                 registered_region_code, household_id, change_type, record, occurred_at, recorded_at)
            VALUES (@Id, @IdNumber, @Version, @Name, @Sex, @BirthDate, @ResidenceType, @Status, @ResidenceRegionCode,
                    @RegisteredRegionCode, @HouseholdId, @ChangeType, {dialect.Json("Record")}, @OccurredAt, @RecordedAt)
            """, Parameters(v), transaction, cancellationToken: ct));

    /// <summary>Replaces the current version if it is still <paramref name="expectedVersion"/>; false when another writer got there first.</summary>
    public async Task<bool> UpdatePersonAsync(PersonVersion v, int expectedVersion, CancellationToken ct)
    {
        var parameters = Parameters(v);
        parameters.Add("ExpectedVersion", expectedVersion);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE persons SET id_number = @IdNumber, version = @Version, name = @Name, sex = @Sex, birth_date = @BirthDate,
                   residence_type = @ResidenceType, status = @Status, residence_region_code = @ResidenceRegionCode,
                   registered_region_code = @RegisteredRegionCode, household_id = @HouseholdId, change_type = @ChangeType,
                   record = {dialect.Json("Record")}, occurred_at = @OccurredAt, recorded_at = @RecordedAt
            WHERE id = @Id AND version = @ExpectedVersion
            """, parameters, transaction, cancellationToken: ct));
        return rows == 1;
    }

    public Task InsertHistoryAsync(PersonVersion old, DateTimeOffset supersededAt, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO person_history (person_id, version, change_type, record, occurred_at, recorded_at, superseded_at)
            VALUES (@PersonId, @Version, @ChangeType, {dialect.Json("Record")}, @OccurredAt, @RecordedAt, @SupersededAt)
            """,
            new
            {
                old.Record.PersonId,
                old.Version,
                old.ChangeType,
                Record = JsonSerializer.Serialize(old.Record, Json.Options),
                old.OccurredAt,
                old.RecordedAt,
                SupersededAt = supersededAt,
            }, transaction, cancellationToken: ct));

    /// <summary>
    /// Takes the next change-log number and writes the change-log entry and the command's stored answer under it, all in
    /// one round trip: the number's row stays locked until commit, so a later number can never become visible before an
    /// earlier one and the feed has no gaps (ADR 0001) — and every other writer waits for that lock, so nothing else
    /// happens under it. The event and the answer come with <see cref="SequencePlaceholder"/> in place of the number;
    /// the database puts the number in. The last statement answers the number taken.
    /// </summary>
    internal static string AppendChangeSql(SqlDialect dialect)
    {
        var filled = dialect.Concat("'\"sequence\":'", dialect.IntegerText("s.last_sequence"));
        return $"""
            UPDATE change_sequence SET last_sequence = last_sequence + 1 WHERE id = 1;
            INSERT INTO change_log (sequence, event_id, person_id, change_type, recorded_at, event, traceparent, tracestate)
            SELECT s.last_sequence, @EventId, @PersonId, @ChangeType, @RecordedAt, {dialect.JsonOf($"REPLACE(@Event, @Placeholder, {filled})")}, @TraceParent, @TraceState
            FROM change_sequence s WHERE s.id = 1;
            INSERT INTO commands (command_id, command_type, request_hash, status_code, response, recorded_at)
            SELECT @CommandId, @CommandType, @RequestHash, @StatusCode, REPLACE(@Response, @Placeholder, {filled}), @RecordedAt
            FROM change_sequence s WHERE s.id = 1;
            SELECT last_sequence FROM change_sequence WHERE id = 1;
            """;
    }

    /// <summary>
    /// Appends the change (its <see cref="PersonChanged.Sequence"/> the placeholder) with the trace context of the current
    /// activity (the HTTP request, or the consumer of a bus command), which the relay and the feed hand on with it
    /// (docs/tracing.md), and stores the command's answer (its sequence the placeholder too); returns the number taken.
    /// </summary>
    public Task<long> AppendChangeAsync(PersonChanged change, string commandType, string requestHash, int statusCode, string response, CancellationToken ct)
    {
        var eventJson = SequencePlaceholder.Once(JsonSerializer.Serialize(change, Json.Options));
        return connection.ExecuteScalarAsync<long>(new CommandDefinition(
            AppendChangeSql(dialect),
            new
            {
                change.EventId,
                change.PersonId,
                change.ChangeType,
                change.RecordedAt,
                Event = eventJson,
                TraceParent = OutboxTracing.CurrentTraceParent(),
                TraceState = OutboxTracing.CurrentTraceState(),
                change.CommandId,
                CommandType = commandType,
                RequestHash = requestHash,
                StatusCode = statusCode,
                Response = SequencePlaceholder.Once(response),
                Placeholder = SequencePlaceholder.Token,
            }, transaction, cancellationToken: ct));
    }

    public Task InsertCommandAsync(Guid commandId, string commandType, string requestHash, int statusCode, string response, DateTimeOffset recordedAt, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO commands (command_id, command_type, request_hash, status_code, response, recorded_at)
            VALUES (@commandId, @commandType, @requestHash, @statusCode, @response, @recordedAt)
            """,
            new { commandId, commandType, requestHash, statusCode, response, recordedAt }, transaction, cancellationToken: ct));

    public async Task<bool> HouseholdExistsAsync(Guid householdId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM households WHERE id = @householdId", new { householdId }, transaction, cancellationToken: ct)) > 0;

    /// <summary>The living head of a household other than <paramref name="except"/>, if any.</summary>
    public async Task<Guid?> HouseholdHeadAsync(Guid householdId, Guid except, CancellationToken ct)
    {
        var records = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT record FROM persons WHERE household_id = @householdId AND status = 'living' AND id <> @except",
            new { householdId, except }, transaction, cancellationToken: ct));
        return records
            .Select(r => JsonSerializer.Deserialize<PersonRecord>(r, Json.Options)!)
            .FirstOrDefault(p => p.RelationshipToHead == Domain.Codes.FamilyRelationshipCodes.Head)?.PersonId;
    }

    public Task InsertHouseholdAsync(Guid id, string number, string address, string regionCode, DateTimeOffset createdAt, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO households (id, number, address, region_code, created_at) VALUES (@id, @number, @address, @regionCode, @createdAt)",
            new { id, number, address, regionCode, createdAt }, transaction, cancellationToken: ct));

    private static DynamicParameters Parameters(PersonVersion v)
    {
        var r = v.Record;
        var p = new DynamicParameters();
        p.Add("Id", r.PersonId);
        p.Add("IdNumber", r.IdNumber);
        p.Add("Version", v.Version);
        p.Add("Name", r.Name);
        p.Add("Sex", r.Sex);
        p.Add("BirthDate", r.BirthDate);
        p.Add("ResidenceType", r.ResidenceType);
        p.Add("Status", r.Status);
        p.Add("ResidenceRegionCode", r.ResidenceRegionCode);
        p.Add("RegisteredRegionCode", r.RegisteredRegionCode);
        p.Add("HouseholdId", r.HouseholdId);
        p.Add("ChangeType", v.ChangeType);
        p.Add("Record", JsonSerializer.Serialize(r, Json.Options));
        p.Add("OccurredAt", v.OccurredAt);
        p.Add("RecordedAt", v.RecordedAt);
        return p;
    }
}
