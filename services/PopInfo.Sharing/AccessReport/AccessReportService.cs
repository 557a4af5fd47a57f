using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PopInfo.Domain.Access;
using PopInfo.Domain.Sharing;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.Sharing.Audit;
using PopInfo.Sharing.Operations;
using PopInfo.Sharing.People;

namespace PopInfo.Sharing.AccessReport;

/// <summary>
/// A person's access report (after Estonia's Data Tracker; docs/sharing.md, ADR 0003 decision 6), made by an auditor on
/// the person's request: every access the sharing service audited (access_audit), every event of the person's changes
/// the exchange made for a department (queue, webhook, feed) and every read the registry recorded, merged oldest first.
/// An access under a purpose the law keeps from the person (<see cref="Purpose.WithheldFromPerson"/>, and
/// <see cref="SharingOptions.WithheldPurposes"/>) shows as withheld: its source and when, nothing more. A source that does
/// not answer is named in <see cref="PersonAccessReport.Sources"/> rather than failing the report. The auditor's question is
/// audited here (operation <c>access-report</c>, the auditor as end user) before the answer leaves, and by the registry
/// and the exchange, which are asked on the auditor's behalf. Logs and spans carry counts only.
/// </summary>
public sealed class AccessReportService(
    AccessAuditStore auditTable,
    AccessAudit audit,
    PeopleStore people,
    PeopleWatermark watermark,
    PeopleReadiness readiness,
    RegistryAccessLogClient registry,
    ExchangeDeliveriesClient exchange,
    IOptions<SharingOptions> options,
    TimeProvider clock,
    ILogger<AccessReportService> logger)
{
    public const string Operation = "access-report";

    /// <summary>The purpose the audit row of an auditor's question records.</summary>
    public const string AuditPurpose = "access-report";

    /// <summary>The case reference recorded when the auditor names no request of the person.</summary>
    public const string DefaultCaseReference = "person-request";

    /// <summary>The most pages of the registry's reads one report reads (1,000 reads each).</summary>
    public const int MaxRegistryPages = 100;

    public static readonly IReadOnlyList<string> Languages = ["zh", "en"];

    private static readonly ActivitySource Source = new(Telemetry.SourceName);

    public async Task<Result<PersonAccessReport>> ReportAsync(SharingCaller caller, string auditor, AccessReportRequest request, CancellationToken ct)
    {
        var violations = Check(request, auditor, out var idNumber);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var language = request.Language ?? "zh";
        var at = clock.GetUtcNow();
        var requestId = Guid.NewGuid();
        // One source for the watermark and the look-up (PeopleStore.Reads).
        var reads = people.Reads;
        var asOf = await people.AsOfAsync(reads, watermark.Current, ct);
        var caseReference = request.CaseReference ?? DefaultCaseReference;
        Guid personId;
        if (request.PersonId is { } id)
        {
            personId = id;
        }
        else
        {
            if (!readiness.IsReady)
            {
                return SharingRefusals.Unavailable("The service's copy of the register is being built; try again shortly.", 30);
            }

            var holder = (await people.ByIdNumberAsync(reads, idNumber!, record: false, ct)).OrderByDescending(p => p.Sequence ?? 0).FirstOrDefault();
            if (holder is null)
            {
                // The question is audited all the same: an auditor asked about a number.
                var stored = await TryAuditAsync([Row(null, Outcomes.NotFound)], ct);
                return stored ? Refusal.NotFound("No person with this identity number is in the register.")
                    : Unaudited();
            }

            personId = holder.Person_Id;
        }

        using var activity = Source.StartActivity("sharing.access-report");
        var withheld = WithheldPurposes();
        var sources = new List<AccessReportSource>(3);
        var entries = new List<AccessReportEntry>();

        try
        {
            var rows = await auditTable.OfPersonAsync(personId, ct);
            entries.AddRange(rows.Select(r => FromSharing(r, withheld, language)));
            sources.Add(new(AccessReportSources.Sharing, true, null));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            sources.Add(new(AccessReportSources.Sharing, false, Describe(e)));
        }

        sources.Add(await AskAsync(AccessReportSources.Exchange, async token =>
        {
            var answer = await exchange.ReadAsync(personId, auditor, token);
            if (answer.Value is not { } deliveries)
            {
                return SourceRefusal(AccessReportSources.Exchange, answer);
            }

            entries.AddRange(deliveries.Deliveries.SelectMany(d => FromExchange(d, withheld, language)));
            return deliveries.Truncated ? $"more than {ExchangeDeliveriesClient.Limit} events: the oldest {ExchangeDeliveriesClient.Limit} are listed" : null;
        }, ct));

        sources.Add(await AskAsync(AccessReportSources.Registry, async token =>
        {
            var after = 0L;
            for (var page = 0; page < MaxRegistryPages; page++)
            {
                var answer = await registry.PageAsync(personId, after, auditor, token);
                if (answer.Value is not { } log)
                {
                    return SourceRefusal(AccessReportSources.Registry, answer);
                }

                entries.AddRange(log.Reads.Select(FromRegistry));
                if (log.Reads.Count < RegistryAccessLogClient.PageSize || log.Next <= after)
                {
                    return null;
                }

                after = log.Next;
            }

            return $"more than {MaxRegistryPages * RegistryAccessLogClient.PageSize} reads: the oldest are listed";
        }, ct));

        // Oldest first; at the same instant, the sources in the order above.
        var ordered = entries.Select((e, k) => (e, k)).OrderBy(x => x.e.At).ThenBy(x => x.k).Select(x => x.e).ToList();
        var withheldCount = ordered.Count(e => e.Withheld);
        activity?.SetTag("popinfo.report.entries", ordered.Count);
        activity?.SetTag("popinfo.report.withheld", withheldCount);
        activity?.SetTag("popinfo.report.sources-failed", sources.Count(s => !s.Ok));

        if (!await TryAuditAsync([Row(personId, Outcomes.Returned)], ct))
        {
            return Unaudited();
        }

        logger.LogInformation("Access report: {Entries} entries, {Withheld} withheld, {Failed} source(s) not answering",
            ordered.Count, withheldCount, sources.Count(s => !s.Ok));
        return new PersonAccessReport(personId, language, at, auditor, sources, ordered, withheldCount);

        AccessAuditEntry Row(Guid? person, string outcome) =>
            new(at, requestId, caller.ClientId, auditor, Operation, AuditPurpose, caseReference, person, [], outcome, asOf);
    }

    /// <summary>The purpose codes withheld from the person: the domain's and the configured ones.</summary>
    public IReadOnlySet<string> WithheldPurposes() => SharingPurposes.Withheld(options.Value.WithheldPurposes);

    private static AccessReportEntry FromSharing(AccessAuditRow row, IReadOnlySet<string> withheld, string language) =>
        withheld.Contains(row.Purpose)
            ? AccessReportEntry.WithheldAt(AccessReportSources.Sharing, row.At)
            : new(AccessReportSources.Sharing, row.At, false, row.ClientId, row.EndUser, row.Operation, row.Purpose, PurposeName(row.Purpose, language),
                row.CaseReference, row.Outcome, null, row.Fields);

    private static IEnumerable<AccessReportEntry> FromExchange(ExchangeDelivery d, IReadOnlySet<string> withheld, string language)
    {
        var channels = new List<(DateTimeOffset At, string Channel, string? Outcome, string? Detail)>();
        if (d.Queue is { } queue)
        {
            channels.Add((d.ProjectedAt, "queue", queue.Acknowledged == true ? "acknowledged" : queue.Published ? "published" : "pending", null));
        }

        if (d.Webhook is { } webhook)
        {
            channels.Add((webhook.LastAttemptAt ?? d.ProjectedAt, "webhook", webhook.State, $"attempts {webhook.Attempts}"));
        }

        foreach (var read in d.FeedReads ?? [])
        {
            channels.Add((read.At, "feed", "read", Clean(read.Actor)));
        }

        if (channels.Count == 0)
        {
            // Made for the department, not (yet) sent by any channel: still a fact the person may know.
            channels.Add((d.ProjectedAt, "none", "recorded", null));
        }

        foreach (var (at, channel, outcome, detail) in channels)
        {
            yield return d.Purpose is { } purpose && withheld.Contains(purpose)
                ? AccessReportEntry.WithheldAt(AccessReportSources.Exchange, at)
                : new(AccessReportSources.Exchange, at, false, d.Department, null, d.EventType, d.Purpose, PurposeName(d.Purpose, language),
                    null, outcome, channel, detail ?? Clean(d.DepartmentName));
        }
    }

    private static AccessReportEntry FromRegistry(RegistryReadView r) =>
        new(AccessReportSources.Registry, r.At, false, Clean(r.Client), Clean(r.User), Clean(r.Action), null, null, null, null, Clean(r.Via), Clean(r.Detail));

    private static string? PurposeName(string? code, string language) =>
        SharingPurposes.Find(code) is { } p ? (language == "en" ? p.NameEn : p.NameZh) : null;

    // Text from another service, shown on a page: no control characters, and short.
    private static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var kept = new string([.. text.Where(c => !char.IsControl(c))]);
        return kept.Length > 200 ? kept[..200] : kept;
    }

    private async Task<AccessReportSource> AskAsync(string name, Func<CancellationToken, Task<string?>> ask, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SourceTimeout);
        try
        {
            // A note (e.g. a truncated answer) leaves the source answering; a refusal is thrown as SourceRefused.
            var note = await ask(timeout.Token);
            return new(name, true, note);
        }
        catch (SourceRefusedException refused)
        {
            return new(name, false, refused.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(name, false, $"{name} did not answer within {options.Value.SourceTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or NotSupportedException)
        {
            logger.LogWarning("Access report: the {Source} did not answer: {Error}", name, e.GetType().Name);
            return new(name, false, Describe(e));
        }
    }

    private static string SourceRefusal<T>(string name, SourceAnswer<T> answer) =>
        throw new SourceRefusedException($"{name} answered {answer.Status}{(answer.Rule is null ? "" : $" ({Clean(answer.Rule)})")}");

    private static string Describe(Exception e) => $"{e.GetType().Name}: {Clean(e.Message)}";

    private async Task<bool> TryAuditAsync(IReadOnlyList<AccessAuditEntry> rows, CancellationToken ct)
    {
        try
        {
            await audit.WriteAsync(rows, null, ct);
            return true;
        }
        catch (AccessAuditUnavailableException)
        {
            return false;
        }
    }

    private static Result<PersonAccessReport> Unaudited() =>
        SharingRefusals.Unavailable("The question could not be audited, so nothing is answered; try again shortly.", 5);

    private static List<RuleViolation> Check(AccessReportRequest request, string auditor, out string? idNumber)
    {
        var violations = new List<RuleViolation>();
        if (!PlatformRoles.IsUserName(auditor))
        {
            violations.Add(new("auditor", AuditorOnBehalf.Format, "The auditor's user name is not a user name's form."));
        }

        idNumber = PersonNamedRule.Check(violations, request.PersonId, request.IdNumber);

        if (request.Language is not null && !Languages.Contains(request.Language))
        {
            violations.Add(new("language", "language.supported", "language is zh or en."));
        }

        if (request.CaseReference is not null && SharingRequests.Problem(request.CaseReference, null) is { } problem)
        {
            violations.Add(new(problem.Field, problem.Rule, problem.Message));
        }

        return violations;
    }

    private sealed class SourceRefusedException(string message) : Exception(message);
}
