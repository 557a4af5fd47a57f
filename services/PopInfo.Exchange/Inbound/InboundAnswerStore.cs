using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// The exchange's side of the registry-command outbox: the registry's answer recorded on the inbound record whose
/// command it answers — applied (the person, their new version and the change's sequence) or rejected (the registry's
/// problem, naming field and rule) — and "sent" shown on it. A repeated answer changes nothing.
/// </summary>
public sealed class InboundAnswerStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database) : RegistryAnswerStore
{
    public override string Service => ExchangeModule.Name;

    public override Task RecordAsync(DbConnection connection, DbTransaction transaction, RegistryCommandAnswered answer, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE inbound_records SET state = @state, answer = @json, answered_at = @at, sent_at = COALESCE(sent_at, @at),
                   person_id = COALESCE(@PersonId, person_id)
            WHERE id = @CommandId AND state IN ('queued', 'sent')
            """,
            new
            {
                state = answer.Applied ? InboundStates.Applied : InboundStates.Rejected,
                json = JsonSerializer.Serialize(answer, Json.Options),
                at = answer.AnsweredAt,
                answer.PersonId,
                answer.CommandId,
            }, transaction, cancellationToken: ct));

    // An answer may have come first (the registry is quick): it is not overwritten.
    public override async Task ShowSentAsync(IReadOnlyList<Guid> commandIds, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(ShowSentSql(database.Dialect), new { at, ids = commandIds.ToArray() }, cancellationToken: ct));
    }

    /// <summary>"Sent" on the queued records <c>@ids</c>.</summary>
    public static string ShowSentSql(SqlDialect dialect) =>
        $"UPDATE inbound_records SET state = 'sent', sent_at = @at WHERE {dialect.In("id", "ids")} AND state = 'queued'";
}
