using System.Text.Json;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// What the registry did with one bus command, and the one mapping of it to the <see cref="RegistryCommandAnswered"/>
/// message: an applied change with the status it had over REST (<see cref="StoredAnswers.StatusOf"/>), a refusal with the
/// status and problem of <see cref="RefusalProblems"/> — the problem the REST route answers for the same refusal.
/// </summary>
internal sealed record Answered(string CommandType, Guid CommandId, Guid? CorrelationId, string? Actor, Result<CommandAnswer> Result)
{
    public RegistryCommandAnswered ToMessage(DateTimeOffset now)
    {
        var change = Result.Value is { } applied ? JsonSerializer.Deserialize<ChangeResult>(applied.Json, Json.Options) : null;
        return new RegistryCommandAnswered
        {
            CommandId = CommandId,
            CorrelationId = CorrelationId,
            Source = Actor ?? "",
            CommandType = CommandType,
            Applied = Result.Succeeded,
            Status = Result.Refusal is { } refusal ? RefusalProblems.StatusOf(refusal.Kind) : StoredAnswers.StatusOf(Result.Value!),
            PersonId = change?.PersonId,
            Version = change?.Version,
            Sequence = change?.Sequence,
            EventId = change?.EventId,
            Problem = Result.Refusal?.ToProblemJson(),
            AnsweredAt = now,
        };
    }

    /// <summary>
    /// Sends the answer, durable, to the sender's answer exchange (<see cref="AnswerRoute"/>); a command that named none and
    /// no known actor is not answered (logged there).
    /// </summary>
    public Task SendAsync(ConsumeContext context, TimeProvider clock, ILogger logger) =>
        SendAsync(context.ReceiveContext, context.ResponseAddress, context, clock, logger, context.CancellationToken);

    /// <summary>The same, for a command read from the received message itself (<see cref="UnreadableCommandFilter"/>).</summary>
    public async Task SendAsync(
        ReceiveContext received, Uri? responseAddress, ISendEndpointProvider endpoints, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        if (AnswerRoute.For(responseAddress, received, Actor, logger) is not { } exchange)
        {
            return;
        }

        var endpoint = await endpoints.GetSendEndpoint(new Uri($"exchange:{exchange}"));
        await endpoint.Send(ToMessage(clock.GetUtcNow()), send => send.Durable = true, ct);
    }
}
