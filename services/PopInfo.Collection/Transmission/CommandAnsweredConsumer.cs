using System.Text.Json;
using Dapper;
using MassTransit;
using PopInfo.Collection.Forms;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Transmission;

/// <summary>
/// Records the registry's answer on the form: accepted (with the person's new version and the change's
/// sequence) or rejected (with the problem, naming field and rule). A repeated answer changes nothing.
/// </summary>
public sealed class CommandAnsweredConsumer([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database) : IConsumer<RegistryCommandAnswered>
{
    public const string QueueName = "popinfo.collection.command-answers";

    public async Task Consume(ConsumeContext<RegistryCommandAnswered> context)
    {
        var answer = context.Message;
        if (!answer.Source.StartsWith("desk:", StringComparison.Ordinal))
        {
            return;
        }

        var ct = context.CancellationToken;
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var formId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            """
            UPDATE forms SET state = @state, answered_at = @at, sent_at = COALESCE(sent_at, @at),
                   registry_person_id = @PersonId, registry_version = @Version, registry_sequence = @Sequence, registry_event_id = @EventId,
                   rejection = @rejection, revision = revision + 1, updated_by = 'registry', updated_at = @at
            WHERE command_id = @CommandId AND state = 'submitted'
            RETURNING id
            """,
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

        await transaction.CommitAsync(ct);
    }

    private static string? Summary(JsonElement? problem) =>
        problem is { } p && p.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
}
