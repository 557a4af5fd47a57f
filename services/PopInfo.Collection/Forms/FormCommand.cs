using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts.Registry;

namespace PopInfo.Collection.Forms;

/// <summary>Turns a submitted form into the registry command it stands for.</summary>
internal static class FormCommand
{
    /// <summary>The command of a submitted form (its <c>Command_Id</c> set, its subject's version pinned).</summary>
    public static ApplyRegistryCommand Build(FormRow form, FormType type, IReadOnlyDictionary<string, string> data, DateTimeOffset now)
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
                    body["idNumber"] = value;
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

        return new ApplyRegistryCommand
        {
            CommandId = form.Command_Id!.Value,
            CommandType = type.CommandType,
            PersonId = form.Person_Id,
            SubjectIdNumber = type.AboutExistingPerson || type == FormTypes.MoveIn || type == FormTypes.MigrantArrival
                ? data.GetValueOrDefault("idNumber") : null,
            Body = JsonSerializer.SerializeToElement(body),
            Source = $"desk:{form.Community_Code}",
            CorrelationId = form.Id,
            SentAt = now,
        };
    }
}
