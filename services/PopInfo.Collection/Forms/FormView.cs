using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopInfo.Collection.Forms;

/// <summary>A form as the API shows it: its data, where it is in its life, and what the registry made of it.</summary>
public sealed record FormView(
    Guid Id,
    string FormType,
    string CommunityCode,
    string Day,
    bool Late,
    string State,
    bool Pending,
    int Revision,
    Guid? PersonId,
    int? ExpectedVersion,
    IReadOnlyDictionary<string, string> Data,
    string? Note,
    FormTransmission? Transmission,
    FormRegistryResult? Registry,
    JsonObject? Rejection,
    string? WithdrawnReason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<FormEvent>? Events)
{
    public static FormView From(FormRow f, IReadOnlyList<FormEvent>? events = null) => new(
        f.Id, f.Form_Type, f.Community_Code, f.Day, f.Late, f.State,
        // Submitted and not yet answered: waiting for the broker or the registry, kept and resent until answered.
        f.State == FormStates.Submitted,
        f.Revision, f.Person_Id, f.Expected_Version,
        JsonSerializer.Deserialize<Dictionary<string, string>>(f.Data) ?? [],
        f.Note,
        f.Command_Id is { } commandId ? new FormTransmission(commandId, f.Submitted_At, f.Sent_At, f.Answered_At) : null,
        f.Registry_Sequence is not null ? new FormRegistryResult(f.Registry_Person_Id, f.Registry_Version, f.Registry_Sequence, f.Registry_Event_Id) : null,
        f.Rejection is null ? null : JsonNode.Parse(f.Rejection)?.AsObject(),
        f.Withdrawn_Reason, f.Created_By, f.Created_At, f.Updated_By, f.Updated_At, events);
}

/// <summary>The form's current command to the registry: when submitted, handed to the broker, and answered.</summary>
public sealed record FormTransmission(Guid CommandId, DateTimeOffset? SubmittedAt, DateTimeOffset? SentAt, DateTimeOffset? AnsweredAt);

/// <summary>What the registry applied: the person, their new version, the change-log sequence and the event id.</summary>
public sealed record FormRegistryResult(Guid? PersonId, int? Version, long? Sequence, Guid? EventId);
