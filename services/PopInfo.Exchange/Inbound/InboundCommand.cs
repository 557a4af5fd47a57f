using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

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
    public static ApplyRegistryCommand Build(Guid id, string departmentCode, InboundRecord record, RegisteredPerson? person, DateTimeOffset now)
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

        return new ApplyRegistryCommand
        {
            CommandId = id,
            CommandType = kind.CommandType,
            PersonId = kind.NewPerson ? null : person?.PersonId,
            SubjectIdNumber = kind == InboundKindCatalogue.Birth ? null : (person is null || kind.NewPerson) ? record.IdNumber : null,
            Body = JsonSerializer.SerializeToElement(body, Json.Options),
            Source = $"department:{departmentCode}",
            CorrelationId = id,
            SentAt = now,
        };
    }

    /// <summary>Whether the command can name a person at all (a record about someone in the register that matched nobody cannot).</summary>
    public static bool NamesPerson(ApplyRegistryCommand command, InboundKind kind) =>
        kind.NewPerson || command.PersonId is not null || !string.IsNullOrEmpty(command.SubjectIdNumber);
}
