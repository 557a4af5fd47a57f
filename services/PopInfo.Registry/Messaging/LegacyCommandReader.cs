using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// The compatibility reader of version 1 of the command contract: an <see cref="ApplyRegistryCommand"/> (a type name
/// and a JSON body) read into the typed record of version 2, so that commands still in the registry's queue, and
/// rows still in a sender's outbox, from before the upgrade are applied and answered as before (ADR 0008). The
/// envelope's <c>source</c> was who acted (<c>desk:…</c>, <c>department:…</c>): it becomes the actor.
/// </summary>
public static class LegacyCommandReader
{
    public sealed record Read(string CommandType, RegistryCommand? Command, Refusal? Refusal);

    public static Read From(ApplyRegistryCommand message)
    {
        if (RegistryCommandCatalogue.Find(message.CommandType) is not { } kind)
        {
            return Refused(message.CommandType, "commandType", "command-type.known", $"'{message.CommandType}' is not a registry command.");
        }

        try
        {
            if (JsonNode.Parse(message.Body.GetRawText()) is not JsonObject body)
            {
                return Refused(kind.Name, "body", "json.format", "The command body must be a JSON object.");
            }

            var command = (RegistryCommand)body.Deserialize(kind.Type, Json.Options)!;
            return new Read(kind.Name, command with
            {
                // The envelope's id overrides any commandId inside the body, as it did in version 1.
                CommandId = message.CommandId,
                Actor = message.Source,
                CorrelationId = message.CorrelationId,
                PersonId = message.PersonId,
                SubjectIdNumber = message.SubjectIdNumber,
            }, null);
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            // The body escapes a lone surrogate where it is read as a string: not text.
            return new Read(kind.Name, null, Refusal.Invalid([TextViolations.LoneSurrogateEscape("body")]));
        }
        catch (JsonException ex) when (TextViolations.IsLoneSurrogateEscape(ex.InnerException))
        {
            return new Read(kind.Name, null, Refusal.Invalid([TextViolations.LoneSurrogateEscape(FieldOf(ex))]));
        }
        catch (JsonException ex)
        {
            return Refused(kind.Name, FieldOf(ex), "json.format", "A field of the command has the wrong type.");
        }
    }

    private static string FieldOf(JsonException ex) => ex.Path is { Length: > 2 } path ? path[2..] : "body";

    private static Read Refused(string commandType, string field, string rule, string message) =>
        new(commandType, null, Refusal.Invalid(field, rule, message));
}
