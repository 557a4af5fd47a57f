using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Collection.Forms;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.Collection.Transmission;

/// <summary>
/// The desk's side of the registry-command outbox: the registry's answer recorded on the form — accepted (with the
/// person's new version and the change's sequence) or rejected (with the problem, naming field and rule) — and
/// "handed to the broker" shown on it. A repeated answer changes nothing.
/// </summary>
public sealed class FormAnswerStore([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database) : RegistryAnswerStore
{
    public override string Service => CollectionModule.Name;

    public override async Task RecordAsync(DbConnection connection, DbTransaction transaction, RegistryCommandAnswered answer, CancellationToken ct)
    {
        var formId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(RecordSql(database.Dialect),
            new
            {
                state = answer.Applied ? FormStates.Accepted : FormStates.Rejected,
                at = answer.AnsweredAt,
                answer.PersonId,
                answer.Version,
                answer.Sequence,
                answer.EventId,
                rejection = answer.Problem is { } problem ? JsonSerializer.Serialize(problem) : null,
                answer.CommandId,
            }, transaction, cancellationToken: ct));

        // Null: not a form of this desk's, or a repeated answer already recorded.
        if (formId is { } id)
        {
            await new FormStore(connection, transaction).AddEventAsync(id, "registry", answer.Applied ? "accepted" : "rejected",
                answer.Applied ? $"version {answer.Version}, sequence {answer.Sequence}" : Summary(answer.Problem), answer.AnsweredAt, ct);
        }
    }

    /// <summary>
    /// Rows are locked in one order (command id); <see cref="RecordAsync"/> locks one form per transaction, so the two
    /// cannot deadlock (a batched answer consumer did, in a benchmark: docs/benchmarks.md).
    /// </summary>
    public override async Task ShowSentAsync(IReadOnlyList<Guid> commandIds, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(ShowSentSql(database.Dialect),
            new { at, commandIds = commandIds.ToArray(), count = commandIds.Count }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>The answer on the form still waiting on command <c>@CommandId</c>; returns the form's id.</summary>
    public static string RecordSql(SqlDialect dialect) =>
        $"""
        UPDATE forms SET state = @state, answered_at = @at, sent_at = COALESCE(sent_at, @at),
               registry_person_id = @PersonId, registry_version = @Version, registry_sequence = @Sequence, registry_event_id = @EventId,
               rejection = @rejection, revision = revision + 1, updated_by = 'registry', updated_at = @at{dialect.Output("id")}
        WHERE command_id = @CommandId AND state = 'submitted'{dialect.Returning("id")}
        """;

    /// <summary>
    /// "Sent" on the forms of commands <c>@commandIds</c> (<c>@count</c> of them), their rows locked in command-id order
    /// (the limit lets SQL Server order a subquery).
    /// </summary>
    public static string ShowSentSql(SqlDialect dialect) =>
        $"""
        UPDATE forms SET sent_at = @at WHERE id IN (
            SELECT id FROM forms{dialect.UpdateLockHint} WHERE {dialect.In("command_id", "commandIds")} AND sent_at IS NULL
            ORDER BY command_id{dialect.Limit("@count")}{dialect.ForUpdate})
        """;

    private static string? Summary(JsonElement? problem) =>
        problem is { } p && p.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
}
