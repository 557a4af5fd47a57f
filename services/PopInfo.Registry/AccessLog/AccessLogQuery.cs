using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.AccessLog;

/// <summary>
/// A person's access log for an auditor (issue 11's access report, docs/adr/0003 decision 6). The question is itself a
/// read of the person, so it is audited like one (<c>access-log.read</c>) before the answer leaves; it is recorded
/// after the log is read, so it shows in the next question's answer, not its own.
/// </summary>
public sealed class AccessLogQuery(AccessLogStore store, ReadAuditStore audit)
{
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 100;

    public async Task<Result<PersonAccessLog>> ReadAsync(AccessLogRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var caller = TokenCaller.From(user);
        var (auditor, onBehalfRule) = AuditorOnBehalf.Check(caller.Role, caller.Subject, request.OnBehalfOf);
        var violations = Check(request, onBehalfRule, out var idNumber, out var paging);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var personId = await store.PersonIdAsync(request.PersonId, idNumber, ct);
        var after = paging.After;
        if (personId is not { } id)
        {
            await audit.WriteAsync(user, "access-log.read", [], $"for {auditor}; not found", ct);
            return Refusal.NotFound("No such person is in the register.");
        }

        var reads = await store.ReadsAsync(id, after, request.From, request.To, paging.Limit, ct);
        var changes = await store.ChangesAsync(id, ct);
        await audit.WriteAsync(user, "access-log.read", [id], $"for {auditor}; {reads.Count} reads after {after}", ct);
        return new PersonAccessLog(
            id,
            [.. reads.Select(r => new RegistryRead(r.Id, r.At, r.Client, r.Subject.Length > 0 && r.Subject != r.Client ? r.Subject : null, r.Action, r.Via, r.Detail))],
            reads.Count > 0 ? reads[^1].Id : after,
            [.. changes.Select(c => new PersonChange(c.Sequence, c.ChangeType, c.RecordedAt))]);
    }

    /// <summary>The rules of the question; <paramref name="idNumber"/> is the number normalised (a lower-case x made upper-case).</summary>
    private static List<RuleViolation> Check(AccessLogRequest request, string? onBehalfRule, out string? idNumber, out Paging paging)
    {
        var violations = new List<RuleViolation>();
        if (onBehalfRule is not null)
        {
            violations.Add(new("onBehalfOf", onBehalfRule, AuditorOnBehalf.MessageOf(onBehalfRule)));
        }

        idNumber = PersonNamedRule.Check(violations, request.PersonId, request.IdNumber);

        paging = Paging.Check(violations, request.Limit, DefaultLimit, MaxLimit, "a read id", after: request.After);

        if (request.From is { } from && request.To is { } to && to <= from)
        {
            violations.Add(new("to", "time.range", "to is later than from."));
        }

        return violations;
    }
}
