using System.Text.Json;
using Dapper;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Records the registry's answer on the inbound record whose command it answers: applied (the person, their
/// new version and the change's sequence) or rejected (the registry's problem, naming field and rule).
/// Answers to other senders' commands (the desks') arrive here too and are ignored; a repeated answer changes nothing.
/// </summary>
public sealed class InboundAnswerConsumer([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database) : IConsumer<RegistryCommandAnswered>
{
    public const string QueueName = "popinfo.exchange.command-answers";

    public async Task Consume(ConsumeContext<RegistryCommandAnswered> context)
    {
        var answer = context.Message;
        if (!answer.Source.StartsWith("department:", StringComparison.Ordinal))
        {
            return;
        }

        var ct = context.CancellationToken;
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
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
            }, cancellationToken: ct));
    }
}
