namespace PopInfo.Collection.Forms;

/// <summary>The states of a form's life: draft → submitted → accepted, or rejected → (corrected) submitted again, or withdrawn.</summary>
public static class FormStates
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
}

/// <summary>A form as stored (one row of <c>forms</c>); property names follow the columns for Dapper.</summary>
public sealed record FormRow
{
    public Guid Id { get; init; }
    public string Community_Code { get; init; } = "";
    public string Street_Code { get; init; } = "";
    public string Day { get; init; } = "";
    public bool Late { get; init; }
    public string Form_Type { get; init; } = "";
    public string State { get; init; } = "";
    public int Revision { get; init; }
    public Guid? Person_Id { get; init; }
    public int? Expected_Version { get; init; }
    public string Data { get; init; } = "{}";
    public string? Note { get; init; }
    public Guid? Command_Id { get; init; }
    public DateTimeOffset? Submitted_At { get; init; }
    public DateTimeOffset? Sent_At { get; init; }
    public DateTimeOffset? Answered_At { get; init; }
    public Guid? Registry_Person_Id { get; init; }
    public int? Registry_Version { get; init; }
    public long? Registry_Sequence { get; init; }
    public Guid? Registry_Event_Id { get; init; }
    public string? Rejection { get; init; }
    public string? Withdrawn_Reason { get; init; }
    public Guid? Import_Id { get; init; }
    public int? Import_Line { get; init; }
    public string Created_By { get; init; } = "";
    public DateTimeOffset Created_At { get; init; }
    public string Updated_By { get; init; } = "";
    public DateTimeOffset Updated_At { get; init; }

    public const string Columns =
        "id, community_code, street_code, day, late, form_type, state, revision, person_id, expected_version, data, note, command_id, " +
        "submitted_at, sent_at, answered_at, registry_person_id, registry_version, registry_sequence, registry_event_id, rejection, " +
        "withdrawn_reason, import_id, import_line, created_by, created_at, updated_by, updated_at";
}

/// <summary>One step in a form's life, shown on the desk.</summary>
public sealed record FormEvent(DateTimeOffset At, string Actor, string Event, string? Detail);
