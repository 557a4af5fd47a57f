using Microsoft.AspNetCore.Mvc;
using PopInfo.Exchange.Inbound;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Apis;

/// <summary>One record's outcome in the answer to a push, in the order the records were sent.</summary>
/// <param name="RecordId">The department's reference, as sent (absent when the record had none that could be read).</param>
/// <param name="Id">The exchange's inbound id (also the registry command id); for a duplicate, the original's.</param>
/// <param name="State">queued, held, refused or duplicate.</param>
/// <param name="PersonId">The person of the register the record was matched to.</param>
/// <param name="Match">How: id-number, name-sex-birth-region or new-person.</param>
/// <param name="Problem">Why it was refused (400 rules, 403 kind not allowed) or held (409, the conflict's rule).</param>
/// <param name="CurrentState">For a duplicate: the state of the record first pushed under this id.</param>
public sealed record InboundResult(
    string? RecordId, Guid? Id, string State, Guid? PersonId = null, string? Match = null, ProblemDetails? Problem = null, string? CurrentState = null)
{
    /// <summary>The record's answer on the wire: its refusal mapped as every refusal is (<see cref="RefusalProblems"/>).</summary>
    public static InboundResult Of(PushedRecord record) =>
        new(record.RecordId, record.Id, record.State, record.PersonId, record.Match, record.Refusal?.ToProblem(), record.CurrentState);
}

/// <summary>The answer to a push: one <see cref="InboundResult"/> per record, in order.</summary>
public sealed record InboundPushAnswer(IReadOnlyList<InboundResult> Results)
{
    public static InboundPushAnswer Of(PushedRecords pushed) => new([.. pushed.Results.Select(InboundResult.Of)]);
}
