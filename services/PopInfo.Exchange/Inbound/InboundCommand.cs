using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Turns a record into the registry command it stands for. The command id is the inbound id; the source
/// is <c>department:{code}</c>. A record about someone in the register names the matched person by id and
/// pins the version the exchange matched against (<c>expectedVersion</c>): should the person change before
/// the command arrives, the registry refuses it (409) instead of applying it to a state nobody checked.
/// A move-in or a migrant's arrival names the person by identity number (new, or returning at the matched version).
/// </summary>
public static class InboundCommand
{
    public static RegistryCommand Build(Guid id, string departmentCode, InboundRecord record, RegisteredPerson? person, DateTimeOffset now)
    {
        var kind = record.Kind;
        var body = new JsonObject();
        if (kind.NewPerson)
        {
            foreach (var (field, value) in record.Person)
            {
                body[field] = value?.DeepClone();
            }
        }

        foreach (var (field, value) in record.Fields)
        {
            if (field == "changes" && value is JsonObject changes)
            {
                foreach (var (changed, changedValue) in changes)
                {
                    body[changed] = changedValue?.DeepClone();
                }
            }
            else
            {
                body[field] = value?.DeepClone();
            }
        }

        if (person is not null && kind != InboundKindCatalogue.Birth)
        {
            body["expectedVersion"] = person.Version;
        }

        // The record's fields are the command's (InboundKind): read into its record.
        var command = (RegistryCommand)body.Deserialize(kind.Command.Type, Json.Options)!;
        return command with
        {
            CommandId = id,
            PersonId = kind.NewPerson ? null : person?.PersonId,
            SubjectIdNumber = kind == InboundKindCatalogue.Birth ? null : (person is null || kind.NewPerson) ? record.IdNumber : null,
            Actor = $"department:{departmentCode}",
            CorrelationId = id,
            SentAt = now,
        };
    }

    /// <summary>
    /// Whether a stored command can name a person at all (a record about someone in the register that matched nobody
    /// cannot). Read from its JSON, where both shapes — the typed record and a version-1 message stored before the
    /// upgrade — carry <c>personId</c> and <c>subjectIdNumber</c> at the top.
    /// </summary>
    public static bool NamesPerson(string storedCommand, InboundKind kind) =>
        kind.NewPerson || JsonNode.Parse(storedCommand) is JsonObject command
            && (command["personId"] is not null || command["subjectIdNumber"] is JsonValue subject && !string.IsNullOrEmpty((string?)subject));
}
