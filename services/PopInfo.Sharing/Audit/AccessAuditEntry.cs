namespace PopInfo.Sharing.Audit;

/// <summary>
/// One person verified or returned (or one item refused after the grant was checked), as the access audit records it:
/// the department (its client id) and its end user, the operation, purpose and case reference, the register's person id
/// (never an identity number or a name; null when no person was found), the fields returned, the outcome, the register
/// sequence the answer reflects, and when. <paramref name="RequestId"/> groups the rows of one request (a batch).
/// </summary>
public sealed record AccessAuditEntry(
    DateTimeOffset At, Guid RequestId, string ClientId, string? EndUser, string Operation, string Purpose, string CaseReference,
    Guid? PersonId, IReadOnlyList<string> Fields, string Outcome, long? AsOfSequence);
