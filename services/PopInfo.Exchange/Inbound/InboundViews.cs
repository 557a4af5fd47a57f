using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Identity;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Exchange.Inbound;

/// <summary>The states of an inbound record (stored), and <c>duplicate</c> (only in a push's answer).</summary>
public static class InboundStates
{
    /// <summary>Taken; its registry command waits to be sent (the outbox).</summary>
    public const string Queued = "queued";

    /// <summary>Its command is on the registry's queue, confirmed by the broker.</summary>
    public const string Sent = "sent";

    /// <summary>The registry applied it.</summary>
    public const string Applied = "applied";

    /// <summary>The registry refused it (the answer holds the registry's problem).</summary>
    public const string Rejected = "rejected";

    /// <summary>It conflicts with the register: waits for the administrator to approve or dismiss it.</summary>
    public const string Held = "held";

    /// <summary>The administrator dismissed it; it never reaches the register.</summary>
    public const string Dismissed = "dismissed";

    /// <summary>Refused by the record rules. Stored only for records that came over AMQP, without their content.</summary>
    public const string Refused = "refused";

    /// <summary>In a push's answer: the department had pushed this record id before.</summary>
    public const string Duplicate = "duplicate";
}

public static class InboundChannels
{
    public const string Http = "http";
    public const string Amqp = "amqp";
}

/// <summary>
/// One record's answer to a push, in the order the records were sent; the endpoint sends it as <see cref="Apis.InboundResult"/>
/// (the refusal as problem details), and over AMQP a refusal is stored under the record id in the same shape.
/// </summary>
/// <param name="RecordId">The department's reference, as sent (absent when the record had none that could be read).</param>
/// <param name="Id">The exchange's inbound id (also the registry command id); for a duplicate, the original's.</param>
/// <param name="State">queued, held, refused or duplicate.</param>
/// <param name="PersonId">The person of the register the record was matched to.</param>
/// <param name="Match">How: id-number, name-sex-birth-region or new-person.</param>
/// <param name="Refusal">Why it was refused (the record rules; the kind not allowed) or held (the conflict's rule).</param>
/// <param name="CurrentState">For a duplicate: the state of the record first pushed under this id.</param>
public sealed record PushedRecord(
    string? RecordId, Guid? Id, string State, Guid? PersonId = null, string? Match = null, Refusal? Refusal = null, string? CurrentState = null);

/// <summary>A push's answer: one <see cref="PushedRecord"/> per record, in order.</summary>
public sealed record PushedRecords(IReadOnlyList<PushedRecord> Results);

/// <summary>Why a stored record was held.</summary>
public sealed record HoldView(string Rule, string? Field, string? Message);

/// <summary>The registry's answer to the record's command.</summary>
public sealed record RegistryAnswerView(
    bool Applied, int Status, Guid? PersonId, int? Version, long? Sequence, Guid? EventId, JsonElement? Problem, DateTimeOffset AnsweredAt);

/// <summary>The administrator's decision on a held record.</summary>
public sealed record DecisionView(string Action, string By, DateTimeOffset At, string? Reason);

/// <summary>A stored record as its department reads it back (<c>GET /api/v1/inbound/{recordId}</c>).</summary>
public sealed record InboundRecordView(
    Guid Id, string RecordId, string DepartmentCode, string Kind, string Channel, string State, DateTimeOffset ReceivedAt,
    string? Match, Guid? PersonId, HoldView? Hold, JsonElement? Refusal, DateTimeOffset? SentAt, RegistryAnswerView? Registry, DecisionView? Decision);

/// <summary>A held record in the administrator's review list: no names, the identity number masked.</summary>
public sealed record InboundReview(
    Guid Id, string DepartmentCode, string RecordId, string Kind, string Rule, string? Field, string? Message,
    Guid? PersonId, string? Match, string? IdNumber, DateTimeOffset ReceivedAt);

public sealed record DismissRequest(string? Reason);

/// <summary>
/// One row of <c>inbound_records</c>, as <see cref="InboundStore"/> reads it (Dapper: a class with init setters, which reads
/// SQLite's text as well as PostgreSQL's types).
/// </summary>
public sealed class InboundRow
{
    public Guid Id { get; init; }
    public string DepartmentCode { get; init; } = "";
    public string RecordId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? Payload { get; init; }
    public string State { get; init; } = "";
    public Guid? PersonId { get; init; }
    public string? MatchKind { get; init; }
    public string? CommandType { get; init; }
    public string? Command { get; init; }
    public string? ReasonRule { get; init; }
    public string? ReasonField { get; init; }
    public string? Reason { get; init; }
    public string? Refusal { get; init; }
    public string? Answer { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public string? Decision { get; init; }
    public string? DecisionReason { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }

    public InboundRecordView ToView()
    {
        RegistryAnswerView? registry = null;
        if (Answer is not null && JsonSerializer.Deserialize<RegistryCommandAnswered>(Answer, Json.Options) is { } a)
        {
            registry = new RegistryAnswerView(a.Applied, a.Status, a.PersonId, a.Version, a.Sequence, a.EventId, a.Problem, a.AnsweredAt);
        }

        return new InboundRecordView(Id, RecordId, DepartmentCode, Kind, Channel, State, ReceivedAt, MatchKind, PersonId,
            ReasonRule is null ? null : new HoldView(ReasonRule, ReasonField, Reason),
            Refusal is null ? null : JsonDocument.Parse(Refusal).RootElement.Clone(),
            SentAt, registry,
            Decision is null ? null : new DecisionView(Decision, DecidedBy ?? "", DecidedAt ?? ReceivedAt, DecisionReason));
    }

    public InboundReview ToReview() => new(Id, DepartmentCode, RecordId, Kind, ReasonRule ?? "", ReasonField, Reason, PersonId, MatchKind,
        MaskedIdNumber(), ReceivedAt);

    /// <summary>What an administrator may see of the record without opening it: facts for the audit trail, no personal data.</summary>
    public object AuditSummary() => new { id = Id, recordId = RecordId, kind = Kind, state = State, reasonRule = ReasonRule, personId = PersonId };

    private string? MaskedIdNumber()
    {
        if (Payload is null || JsonNode.Parse(Payload) is not JsonObject payload)
        {
            return null;
        }

        return payload["person"] is JsonObject person && InboundRecord.Text(person, "idNumber") is { } idNumber ? IdentityNumber.Mask(idNumber) : null;
    }
}
