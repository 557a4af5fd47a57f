using System.Data.Common;
using Dapper;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.Collection.Forms;

/// <summary>
/// The desk's SQL on forms, in the caller's work: inside a transaction the caller commits or rolls back, in a snapshot,
/// or without a transaction for a lone read. The constructor on a connection and its transaction is for another store:
/// the registry's answer (<see cref="Transmission.FormAnswerStore"/>), which the outbox's plumbing hands those.
/// </summary>
internal sealed class FormStore(DbConnection connection, DbTransaction? transaction)
{
    public FormStore(UnitOfWork work)
        : this(work.Connection, work.Transaction)
    {
    }

    public Task<FormRow?> GetAsync(Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<FormRow>(new CommandDefinition(
            $"SELECT {FormRow.Columns} FROM forms WHERE id = @id", new { id }, transaction, cancellationToken: ct));

    public Task<FormRow?> GetByCommandAsync(Guid commandId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<FormRow>(new CommandDefinition(
            $"SELECT {FormRow.Columns} FROM forms WHERE command_id = @commandId", new { commandId }, transaction, cancellationToken: ct));

    public async Task<IReadOnlyList<FormRow>> ListAsync(string communityCode, string day, string? state, CancellationToken ct) =>
        [.. await connection.QueryAsync<FormRow>(new CommandDefinition(
            $"SELECT {FormRow.Columns} FROM forms WHERE community_code = @communityCode AND day = @day AND (@state IS NULL OR state = @state) ORDER BY created_at, id",
            new { communityCode, day, state }, transaction, cancellationToken: ct))];

    public async Task<IReadOnlyList<FormEvent>> EventsAsync(Guid formId, CancellationToken ct) =>
        [.. await connection.QueryAsync<FormEvent>(new CommandDefinition(
            "SELECT at AS At, actor AS Actor, event AS Event, detail AS Detail FROM form_events WHERE form_id = @formId ORDER BY id",
            new { formId }, transaction, cancellationToken: ct))];

    public Task InsertAsync(FormRow f, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO forms ({FormRow.Columns})
            VALUES (@Id, @Community_Code, @Street_Code, @Day, @Late, @Form_Type, @State, @Revision, @Person_Id, @Expected_Version, @Data, @Note, @Command_Id,
                    @Submitted_At, @Sent_At, @Answered_At, @Registry_Person_Id, @Registry_Version, @Registry_Sequence, @Registry_Event_Id, @Rejection,
                    @Withdrawn_Reason, @Import_Id, @Import_Line, @Created_By, @Created_At, @Updated_By, @Updated_At)
            """, f, transaction, cancellationToken: ct));

    /// <summary>Saves a draft's or a rejected form's new data if the form is still at <paramref name="revision"/>.</summary>
    public async Task<bool> UpdateDataAsync(Guid id, int revision, Guid? personId, int? expectedVersion, string data, string? note, string by, DateTimeOffset at, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE forms SET data = @data, note = @note, person_id = @personId, expected_version = @expectedVersion,
                   revision = revision + 1, updated_by = @by, updated_at = @at
            WHERE id = @id AND revision = @revision
            """, new { id, revision, personId, expectedVersion, data, note, by, at }, transaction, cancellationToken: ct)) == 1;

    public async Task<bool> MarkSubmittedAsync(Guid id, int revision, Guid commandId, int? expectedVersion, Guid? personId, string by, DateTimeOffset at, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE forms SET state = 'submitted', command_id = @commandId, submitted_at = @at, sent_at = NULL, answered_at = NULL,
                   expected_version = @expectedVersion, person_id = @personId, rejection = NULL,
                   revision = revision + 1, updated_by = @by, updated_at = @at
            WHERE id = @id AND revision = @revision AND state IN ('draft', 'rejected')
            """, new { id, revision, commandId, expectedVersion, personId, by, at }, transaction, cancellationToken: ct)) == 1;

    public async Task<bool> MarkWithdrawnAsync(Guid id, int revision, string reason, string by, DateTimeOffset at, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE forms SET state = 'withdrawn', withdrawn_reason = @reason, revision = revision + 1, updated_by = @by, updated_at = @at
            WHERE id = @id AND revision = @revision AND state IN ('draft', 'rejected')
            """, new { id, revision, reason, by, at }, transaction, cancellationToken: ct)) == 1;

    public Task AddEventAsync(Guid formId, string actor, string what, string? detail, DateTimeOffset at, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO form_events (form_id, at, actor, event, detail) VALUES (@formId, @at, @actor, @what, @detail)",
            new { formId, at, actor, what, detail }, transaction, cancellationToken: ct));

    /// <summary>Adds the submitted form's command to the registry-command outbox, in this transaction.</summary>
    public Task AddCommandAsync(RegistryCommand command, DateTimeOffset at, CancellationToken ct) =>
        RegistryOutboxStore.EnqueueAsync(connection, transaction ?? throw new InvalidOperationException("A command is queued only inside a transaction."), command, at, ct);

    public async Task<bool> IsDayClosedAsync(string communityCode, string day, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM closed_days WHERE community_code = @communityCode AND day = @day",
            new { communityCode, day }, transaction, cancellationToken: ct)) > 0;
}
