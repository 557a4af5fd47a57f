using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Records;

namespace PopInfo.Collection.Forms;

/// <summary>Turns a submitted form into the registry command it stands for.</summary>
internal static class FormCommand
{
    /// <summary>The command of a submitted form (its <c>Command_Id</c> set, its subject's version pinned).</summary>
    public static RegistryCommand Build(FormRow form, FormType type, IReadOnlyDictionary<string, string> data, DateTimeOffset now)
    {
        var body = new JsonObject();
        foreach (var (field, value) in data)
        {
            switch (field)
            {
                // The subject of a form on an existing person is named outside the body.
                case "idNumber" when type.AboutExistingPerson:
                    break;
                case "newIdNumber":
                    body[PersonFields.IdNumber] = value;
                    break;
                case "expectedStayMonths":
                    body[field] = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "moveRegistration":
                    body[field] = value == "true";
                    break;
                default:
                    body[field] = value;
                    break;
            }
        }

        // People entered at a community desk live in that community unless the form says otherwise.
        if (!type.AboutExistingPerson && !data.ContainsKey("residenceRegionCode"))
        {
            body["residenceRegionCode"] = form.Community_Code;
        }

        if (form.Expected_Version is { } version)
        {
            body["expectedVersion"] = version;
        }

        // The form's fields are the command's (FormType): read into its record, desk-only fields left out.
        var command = (RegistryCommand)body.Deserialize(type.Command.Type, Json.Options)!;
        return command with
        {
            CommandId = form.Command_Id!.Value,
            PersonId = form.Person_Id,
            SubjectIdNumber = type.Command.OnExistingPerson ? data.GetValueOrDefault("idNumber") : null,
            Actor = $"desk:{form.Community_Code}",
            CorrelationId = form.Id,
            SentAt = now,
        };
    }
}
