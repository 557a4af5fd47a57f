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

    /// <summary>
    /// A command's first look, in one round trip: its stored answer if it was seen before, and the person it is about
    /// (by id, else by identity number), whose row stays locked until commit. With the row locked, the version read is the
    /// version the change replaces: no other writer can move it before this transaction's write (<see cref="WriteChangeAsync"/>).
    /// Every command locks at most this one person and then the change-log number, always in that order, so two commands
    /// cannot wait for each other.
    /// </summary>
    public async Task<(StoredCommand? Stored, PersonVersion? Current)> GetCommandAndPersonAsync(
        Guid commandId, Guid? personId, string? idNumber, CancellationToken ct)
    {
        var sql = personId is not null ? CommandAndPersonByIdSql(dialect) : CommandAndPersonByIdNumberSql(dialect);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql, new { commandId, id = personId, idNumber }, transaction, cancellationToken: ct));
        var stored = await results.ReadSingleOrDefaultAsync<StoredCommand>();
        var row = await results.ReadSingleOrDefaultAsync<PersonVersionRow>();
        return (stored, row?.ToVersion());
    }

    /// <summary>The command's row (<c>@commandId</c>), then the person's (<c>@id</c>), locked.</summary>
    internal static string CommandAndPersonByIdSql(SqlDialect dialect) => CommandAndPerson(dialect, "id = @id");

    /// <summary>The command's row (<c>@commandId</c>), then the person's (<c>@idNumber</c>), locked.</summary>
    internal static string CommandAndPersonByIdNumberSql(SqlDialect dialect) => CommandAndPerson(dialect, "id_number = @idNumber");

    private static string CommandAndPerson(SqlDialect dialect, string personKey) =>
        $"{StoredCommand.ByIdSql};\nSELECT {PersonVersionRow.Columns} FROM persons{dialect.UpdateLockHint} WHERE {personKey}{dialect.ForUpdate}";

    // The parts of the two change statements below. Not …Sql builders of their own: the statements sent are the composed
    // ones, and those are what the SQL Server tests parse and keep golden.
    private static string InsertPerson(SqlDialect dialect) =>
        $"""
        INSERT INTO persons (id, id_number, version, name, sex, birth_date, residence_type, status, residence_region_code,
                             registered_region_code, household_id, change_type, record, occurred_at, recorded_at)
        VALUES (@Id, @IdNumber, @Version, @Name, @Sex, @BirthDate, @ResidenceType, @Status, @ResidenceRegionCode,
                @RegisteredRegionCode, @HouseholdId, @ChangeType, {dialect.Json("Record")}, @OccurredAt, @RecordedAt)
        """;

    /// <summary>Replaces the current version (<c>@ExpectedVersion</c>) and keeps it in the history (the <c>@Previous…</c> parameters).</summary>
    private static string ReplacePerson(SqlDialect dialect) =>
        $"""
        UPDATE persons SET id_number = @IdNumber, version = @Version, name = @Name, sex = @Sex, birth_date = @BirthDate,
               residence_type = @ResidenceType, status = @Status, residence_region_code = @ResidenceRegionCode,
               registered_region_code = @RegisteredRegionCode, household_id = @HouseholdId, change_type = @ChangeType,
               record = {dialect.Json("Record")}, occurred_at = @OccurredAt, recorded_at = @RecordedAt
        WHERE id = @Id AND version = @ExpectedVersion;
        INSERT INTO person_history (person_id, version, change_type, record, occurred_at, recorded_at, superseded_at)
        VALUES (@Id, @ExpectedVersion, @PreviousChangeType, {dialect.Json("PreviousRecord")}, @PreviousOccurredAt, @PreviousRecordedAt, @RecordedAt)
        """;

    /// <summary>
    /// Takes the next change-log number and writes the change-log entry and the command's stored answer under it: the
    /// number's row stays locked until commit, so a later number can never become visible before an earlier one and the
    /// feed has no gaps (ADR 0001) — and every other writer waits for that lock, so nothing else happens under it. The event
    /// and the answer come with <see cref="SequencePlaceholder"/> in place of the number; the database puts the number in.
    /// The last statement answers the number taken — or 0 if the person's row is not at the change's version
    /// (<c>@Version</c>), which the person's lock rules out; the caller rolls back on 0.
    /// </summary>
    private static string AppendChange(SqlDialect dialect)
    {
        var filled = dialect.Concat("'\"sequence\":'", dialect.IntegerText("s.last_sequence"));
        return $"""
            UPDATE change_sequence SET last_sequence = last_sequence + 1 WHERE id = 1;
            INSERT INTO change_log (sequence, event_id, person_id, change_type, recorded_at, event, traceparent, tracestate)
            SELECT s.last_sequence, @EventId, @Id, @ChangeType, @RecordedAt, {dialect.JsonOf($"REPLACE(@Event, @Placeholder, {filled})")}, @TraceParent, @TraceState
            FROM change_sequence s WHERE s.id = 1;
            INSERT INTO commands (command_id, command_type, request_hash, status_code, response, recorded_at)
            SELECT @CommandId, @CommandType, @RequestHash, @StatusCode, REPLACE(@Response, @Placeholder, {filled}), @RecordedAt
            FROM change_sequence s WHERE s.id = 1;
            SELECT CASE WHEN p.version = @Version THEN s.last_sequence ELSE 0 END
            FROM change_sequence s JOIN persons p ON p.id = @Id WHERE s.id = 1;
            """;
    }

    /// <summary>A new person's first version and its change, in one round trip (<see cref="AppendChange"/>).</summary>
    internal static string NewPersonChangeSql(SqlDialect dialect) => $"{InsertPerson(dialect)};\n{AppendChange(dialect)}";

    /// <summary>A person's next version, the one it replaces into the history, and the change, in one round trip.</summary>
    internal static string NextVersionChangeSql(SqlDialect dialect) => $"{ReplacePerson(dialect)};\n{AppendChange(dialect)}";

    /// <summary>
    /// Writes <paramref name="next"/> (replacing <paramref name="previous"/>, which goes into the history, if there is one),
    /// appends the change (its <see cref="PersonChanged.Sequence"/> the placeholder) with the trace context of the current
    /// activity (the HTTP request, or the consumer of a bus command), which the relay and the feed hand on with it
    /// (docs/tracing.md), and stores the command's answer (its sequence the placeholder too) — all in one round trip.
    /// Returns the number taken, or null when the person's row was not at <paramref name="previous"/>'s version after all
    /// (the caller rolls back). The row was locked when read (<see cref="GetCommandAndPersonAsync"/>), so null means a defect.
    /// </summary>
    public async Task<long?> WriteChangeAsync(
        PersonVersion next, PersonVersion? previous, PersonChanged change, string commandType, string requestHash, int statusCode, string response,
        CancellationToken ct)
    {
        if (change.PersonId != next.Record.PersonId || change.ChangeType != next.ChangeType || change.RecordedAt != next.RecordedAt)
        {
            throw new ArgumentException("The change must be the new version's: the statement writes both from the same parameters.", nameof(change));
        }

        var parameters = Parameters(next);
        if (previous is not null)
        {
            parameters.Add("ExpectedVersion", previous.Version);
            parameters.Add("PreviousChangeType", previous.ChangeType);
            parameters.Add("PreviousRecord", JsonSerializer.Serialize(previous.Record, Json.Options));
            parameters.Add("PreviousOccurredAt", previous.OccurredAt);
            parameters.Add("PreviousRecordedAt", previous.RecordedAt);
        }

        parameters.Add("EventId", change.EventId);
        parameters.Add("Event", SequencePlaceholder.Once(JsonSerializer.Serialize(change, Json.Options)));
        parameters.Add("TraceParent", OutboxTracing.CurrentTraceParent());
        parameters.Add("TraceState", OutboxTracing.CurrentTraceState());
        parameters.Add("CommandId", change.CommandId);
        parameters.Add("CommandType", commandType);
        parameters.Add("RequestHash", requestHash);
        parameters.Add("StatusCode", statusCode);
        parameters.Add("Response", SequencePlaceholder.Once(response));
        parameters.Add("Placeholder", SequencePlaceholder.Token);

        var sequence = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            previous is null ? NewPersonChangeSql(dialect) : NextVersionChangeSql(dialect), parameters, transaction, cancellationToken: ct));
        return sequence > 0 ? sequence : null;
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
