using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.ServiceDefaults.Audit;

/// <summary>
/// An auditor's search of a service's audit trail (docs/monitoring.md, "Audit search"), as the monitoring service asks it
/// of each source on the auditor's behalf. The person only in the body (by id or identity number), never in the URL.
/// </summary>
/// <param name="PersonId">Only entries about this person; or</param>
/// <param name="IdNumber">the person by identity number (not both).</param>
/// <param name="Actor">Only entries whose actor, client or unit (department, community) is exactly this.</param>
/// <param name="Action">Only entries of this action.</param>
/// <param name="From">Entries at or after this time (required).</param>
/// <param name="To">Entries before this time (required; at most 366 days after <paramref name="From"/>).</param>
/// <param name="After">The cursor of the last entry already seen (an entry's <c>cursor</c>): the next page.</param>
/// <param name="Limit">At most this many entries (1–500, default 100).</param>
/// <param name="OnBehalfOf">The auditor's user name, when a service (the monitoring service) asks for one.</param>
public sealed record AuditSearchRequest(
    Guid? PersonId, string? IdNumber, string? Actor, string? Action, DateTimeOffset? From, DateTimeOffset? To, string? After, int? Limit, string? OnBehalfOf);

/// <summary>
/// One audited event: when, who (<see cref="Actor"/>: a user name, or the client when no person acted), through which
/// client, in which unit (a department code, a community code), which action on which target (a form id, a department —
/// never a person's details), why (<see cref="Purpose"/>, <see cref="Reason"/>), about which person (by id) and with what
/// outcome. <see cref="Cursor"/> asks for what follows this entry.
/// </summary>
public sealed record AuditSearchEntry(
    string Id, DateTimeOffset At, string Actor, string? Client, string? Unit, string Action, string? Target, string? Purpose, string? Reason,
    Guid? PersonId, string? Outcome, string Cursor);

/// <summary>
/// A page of a service's audit search, oldest first; <see cref="Next"/> the cursor of the next page (null: nothing more).
/// <see cref="PersonId"/> and <see cref="MaskedIdNumber"/>: the person searched for, as the service knows them.
/// </summary>
public sealed record AuditSearchPage(string Service, Guid? PersonId, string? MaskedIdNumber, IReadOnlyList<AuditSearchEntry> Entries, string? Next);

/// <summary>A search's criteria once checked, with the auditor it is for.</summary>
public sealed record AuditSearchCriteria(
    Guid? PersonId, string? IdNumber, string? Actor, string? Action, DateTimeOffset From, DateTimeOffset To, AuditCursor? After, int Limit,
    string Auditor, string AuditedAs);

/// <summary>
/// Where a page ends: an entry's time, its kind (e.g. <c>read</c>, <c>change</c>), its part (a department, or empty) and
/// its id within them. Entries are ordered by these four, so a page never loses or repeats one. Opaque to callers.
/// </summary>
public sealed record AuditCursor(DateTimeOffset At, string Kind, string Part, long Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Kind}|{Part}|{Id.ToString(CultureInfo.InvariantCulture)}"));

    public static AuditCursor? Decode(string text)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            return parts.Length == 4
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], parts[2], id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Checks a search's request at a source: its criteria and whom it is asked for.</summary>
public static class AuditSearchCheck
{
    /// <summary>The criteria, or the rules they break (each naming its field).</summary>
    public static Result<AuditSearchCriteria> Of(AuditSearchRequest request, ClaimsPrincipal user)
    {
        var token = TokenCaller.From(user);
        var (auditor, onBehalfRule) = AuditorOnBehalf.Check(token.Role, token.Subject, request.OnBehalfOf);
        var violations = AuditSearchRules.Check(request.PersonId, request.IdNumber, request.Actor, request.Action, request.From, request.To, request.Limit, out var idNumber)
            .Select(v => new RuleViolation(v.Field, v.Rule, v.Message)).ToList();
        if (onBehalfRule is not null)
        {
            violations.Add(new("onBehalfOf", onBehalfRule, AuditorOnBehalf.MessageOf(onBehalfRule)));
        }

        AuditCursor? after = null;
        if (request.After is { } text && (after = AuditCursor.Decode(text)) is null)
        {
            violations.Add(new("after", AuditSearchRules.CursorFormat, "after is an entry's cursor, as a search answered it."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        // The actor recorded for the search: the auditor, and the client that stated the name when a service asks.
        var auditedAs = token.Role is null ? $"client:{token.Source} for auditor:{auditor}" : $"auditor:{auditor}";
        return new AuditSearchCriteria(request.PersonId, idNumber, request.Actor, request.Action, request.From!.Value.ToUniversalTime(),
            request.To!.Value.ToUniversalTime(), after, request.Limit ?? AuditSearchRules.DefaultLimit, auditor!, auditedAs);
    }
}
