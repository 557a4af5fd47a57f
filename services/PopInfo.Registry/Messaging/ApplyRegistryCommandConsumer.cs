using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Commands;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Applies commands that arrive over the bus through the same commands as the REST routes, and
/// publishes the answer. The message is acknowledged only after the answer is confirmed by the broker:
/// a crash in between redelivers the command, whose id makes the registry answer it again as before
/// without applying it twice.
/// </summary>
public sealed class ApplyRegistryCommandConsumer(PersonCommands commands, PersonQueries queries, TimeProvider clock) : IConsumer<ApplyRegistryCommand>
{
    public async Task Consume(ConsumeContext<ApplyRegistryCommand> context)
    {
        var message = context.Message;
        var outcome = await ApplyAsync(message, BusSender.Of(context), context.CancellationToken);
        if (outcome.Problem?.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Busy is not an answer: let the retry policy deliver the command again.
            throw new RegistryBusyException();
        }

        await context.Publish(Answer(message, outcome, clock.GetUtcNow()), context.CancellationToken);
    }

    private async Task<CommandOutcome> ApplyAsync(ApplyRegistryCommand message, string sender, CancellationToken ct)
    {
        try
        {
            return await ApplyBodyAsync(message, sender, ct);
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            // The body escapes a lone surrogate where it is read as a string before the command: not text.
            return CommandOutcome.Refused(Problem.Validation([TextViolations.LoneSurrogateEscape("body")]));
        }
    }

    private async Task<CommandOutcome> ApplyBodyAsync(ApplyRegistryCommand message, string sender, CancellationToken ct)
    {
        if (JsonNode.Parse(message.Body.GetRawText()) is not JsonObject body)
        {
            return Refused("body", "json.format", "The command body must be a JSON object.");
        }

        // The fields looked up before the command runs are checked first: PostgreSQL refuses a NUL even in a query.
        var poisoned = TextViolations.Check(("source", message.Source), ("subjectIdNumber", message.SubjectIdNumber),
            ("motherIdNumber", TextOf(body["motherIdNumber"])), ("householdNumber", TextOf(body["householdNumber"])));
        if (poisoned.Count > 0)
        {
            return CommandOutcome.Refused(Problem.Validation(poisoned));
        }

        body["commandId"] = message.CommandId;
        // The source is the broker user RabbitMQ validated; the message's own "source" names who acted through it.
        body["source"] = sender;
        body["actor"] = message.Source;
        body["correlationId"] = message.CorrelationId;

        var personId = message.PersonId;
        if (personId is null && !string.IsNullOrWhiteSpace(message.SubjectIdNumber) && TakesPerson(message.CommandType))
        {
            var subject = await queries.GetByIdNumberAsync(message.SubjectIdNumber, ct);
            if (subject is null && !MayBeNew(message.CommandType))
            {
                var notFound = Problem.NotFound("No person with this identity number is in the register.");
                notFound.Extensions["field"] = "subjectIdNumber";
                notFound.Extensions["rule"] = "person.exists";
                return CommandOutcome.Refused(notFound);
            }

            if (subject is not null)
            {
                personId = subject.Record.PersonId;
                // A sender that names the person by identity number alone acts on the current version.
                body["expectedVersion"] ??= subject.Version;
            }
        }

        // Senders that know people and households by their numbers (a desk form, a bureau's record) name them so.
        if (body["motherIdNumber"] is JsonValue motherIdNumber && body["motherId"] is null)
        {
            var mother = await queries.GetByIdNumberAsync(motherIdNumber.GetValue<string>(), ct);
            if (mother is null)
            {
                return Refused("motherIdNumber", "mother.in-register", "The mother is not in the register.");
            }

            body["motherId"] = mother.Record.PersonId;
        }

        if (body["householdNumber"] is JsonValue householdNumber && body["householdId"] is null)
        {
            if (await queries.HouseholdIdByNumberAsync(householdNumber.GetValue<string>(), ct) is not { } householdId)
            {
                return Refused("householdNumber", "household.exists", "No household with this number is in the register.");
            }

            body["householdId"] = householdId;
        }

        try
        {
            return message.CommandType switch
            {
                RegistryCommandTypes.RegisterPerson => await commands.RegisterPersonAsync(Read<RegisterPersonRequest>(body), ct),
                RegistryCommandTypes.RegisterBirth => await commands.RegisterBirthAsync(Read<RegisterBirthRequest>(body), ct),
                RegistryCommandTypes.MoveIn => await commands.MoveInAsync(Read<MoveInRequest>(body), ct),
                RegistryCommandTypes.MigrantArrival => await commands.MigrantArrivalAsync(Read<MigrantArrivalRequest>(body), ct),
                RegistryCommandTypes.RegisterDeath when personId is { } id => await commands.RegisterDeathAsync(id, Read<RegisterDeathRequest>(body), ct),
                RegistryCommandTypes.MoveWithinCity when personId is { } id => await commands.MoveWithinCityAsync(id, Read<MoveWithinCityRequest>(body), ct),
                RegistryCommandTypes.MoveOut when personId is { } id => await commands.MoveOutAsync(id, Read<MoveOutRequest>(body), ct),
                RegistryCommandTypes.MigrantDeparture when personId is { } id => await commands.MigrantDepartureAsync(id, Read<MigrantDepartureRequest>(body), ct),
                RegistryCommandTypes.CorrectDetails when personId is { } id => await commands.CorrectDetailsAsync(id, Read<CorrectDetailsRequest>(body), ct),
                RegistryCommandTypes.ChangeHousehold when personId is { } id => await commands.ChangeHouseholdAsync(id, Read<ChangeHouseholdRequest>(body), ct),
                _ when TakesPerson(message.CommandType) => Refused("personId", "required", "The command needs personId or subjectIdNumber."),
                _ => Refused("commandType", "command-type.known", $"'{message.CommandType}' is not a registry command."),
            };
        }
        catch (JsonException ex) when (TextViolations.IsLoneSurrogateEscape(ex.InnerException))
        {
            return CommandOutcome.Refused(Problem.Validation([TextViolations.LoneSurrogateEscape(ex.Path is { Length: > 2 } path ? path[2..] : "body")]));
        }
        catch (JsonException ex)
        {
            return Refused(ex.Path is { Length: > 2 } path ? path[2..] : "body", "json.format", "A field of the command has the wrong type.");
        }
    }

    private static bool TakesPerson(string commandType) => commandType is RegistryCommandTypes.RegisterDeath or RegistryCommandTypes.MoveWithinCity
        or RegistryCommandTypes.MoveOut or RegistryCommandTypes.MigrantDeparture or RegistryCommandTypes.CorrectDetails
        or RegistryCommandTypes.ChangeHousehold or RegistryCommandTypes.MoveIn or RegistryCommandTypes.MigrantArrival;

    // A move-in or a migrant arrival may be a person new to the register or one coming back.
    private static bool MayBeNew(string commandType) => commandType is RegistryCommandTypes.MoveIn or RegistryCommandTypes.MigrantArrival;

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static T Read<T>(JsonObject body) => body.Deserialize<T>(Json.Options)!;

    private static CommandOutcome Refused(string field, string rule, string message) =>
        CommandOutcome.Refused(Problem.Validation(field, rule, message));

    internal static RegistryCommandAnswered Answer(ApplyRegistryCommand message, CommandOutcome outcome, DateTimeOffset now)
    {
        var result = outcome.Json is null ? null : JsonSerializer.Deserialize<ChangeResult>(outcome.Json, Json.Options);
        return new RegistryCommandAnswered
        {
            CommandId = message.CommandId,
            CorrelationId = message.CorrelationId,
            Source = message.Source,
            CommandType = message.CommandType,
            Applied = outcome.Applied,
            Status = outcome.StatusCode,
            PersonId = result?.PersonId,
            Version = result?.Version,
            Sequence = result?.Sequence,
            EventId = result?.EventId,
            Problem = outcome.Problem is null ? null : JsonSerializer.SerializeToElement(outcome.Problem, ProblemJson),
            AnsweredAt = now,
        };
    }

    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);
}

/// <summary>Thrown to have the bus redeliver a command the registry had no turn for.</summary>
public sealed class RegistryBusyException() : Exception("The registry is busy; the command will be delivered again.");
