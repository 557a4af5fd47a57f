using MassTransit;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Applies the commands that arrive over the bus — one record type per command, dispatched by MassTransit by type —
/// through the same commands as the REST routes, and sends the answer to the sender's own answer exchange
/// (<see cref="AnswerRoute"/>). Commands of version 1 (<see cref="ApplyRegistryCommand"/>, a JSON body and a type
/// name), still waiting in the queue or in a sender's outbox from before the upgrade, are read into the same records
/// by <see cref="LegacyCommandReader"/> and answered alike. The message is acknowledged only after the broker has
/// confirmed the answer: a crash in between redelivers the command, whose id makes the registry answer it again as
/// before without applying it twice.
/// </summary>
public sealed class RegistryCommandConsumer(PersonCommands commands, CommandSubjects subjects, TimeProvider clock, ILogger<RegistryCommandConsumer> logger) :
    IConsumer<RegisterPerson>, IConsumer<RegisterBirth>, IConsumer<MoveIn>, IConsumer<MigrantArrival>, IConsumer<RegisterDeath>,
    IConsumer<MoveWithinCity>, IConsumer<MoveOut>, IConsumer<MigrantDeparture>, IConsumer<CorrectDetails>, IConsumer<ChangeHousehold>,
    IConsumer<ApplyRegistryCommand>
{
    public Task Consume(ConsumeContext<RegisterPerson> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<RegisterBirth> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<MoveIn> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<MigrantArrival> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<RegisterDeath> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<MoveWithinCity> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<MoveOut> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<MigrantDeparture> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<CorrectDetails> context) => AnswerAsync(context, context.Message);
    public Task Consume(ConsumeContext<ChangeHousehold> context) => AnswerAsync(context, context.Message);

    public async Task Consume(ConsumeContext<ApplyRegistryCommand> context)
    {
        var legacy = context.Message;
        var read = LegacyCommandReader.From(legacy);
        var answer = read.Command is { } command
            ? await ApplyAsync(context, command)
            : new Answered(read.CommandType, legacy.CommandId, legacy.CorrelationId, legacy.Source, read.Refusal!);
        await answer.SendAsync(context, clock, logger);
    }

    private async Task AnswerAsync(ConsumeContext context, RegistryCommand command) =>
        await (await ApplyAsync(context, command)).SendAsync(context, clock, logger);

    private async Task<Answered> ApplyAsync(ConsumeContext context, RegistryCommand command)
    {
        // The source is the broker user RabbitMQ validated; the message's actor names who acted through it.
        command = command with { Source = BusSender.Of(context), SentAt = null };
        var named = await subjects.ResolveAsync(command, context.CancellationToken);
        var result = named.Refusal is { } refusal
            ? refusal
            : await commands.ApplyAsync(named.Command!, named.PersonId, context.CancellationToken);
        if (result.Refusal?.Kind == RefusalKind.Busy)
        {
            // Busy is not an answer: let the retry policy deliver the command again.
            throw new RegistryBusyException();
        }

        return new Answered(command.CommandType, command.CommandId ?? Guid.Empty, command.CorrelationId, command.Actor, result);
    }
}

/// <summary>Thrown to have the bus redeliver a command the registry had no turn for.</summary>
public sealed class RegistryBusyException() : Exception("The registry is busy; the command will be delivered again.");
