using System.Buffers.Text;
using System.Text.Json;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring.Audit;

/// <summary>
/// The auditors' audit search (issue 12, ADR 0004 decision 7): asks each source service's audit search on the auditor's
/// behalf with the monitoring client's own token, merges the answers oldest first, and says which source did not answer
/// rather than failing the search. A person named by identity number is found by the registry first; the others are asked
/// by the id it answers (the desk and the exchange know persons by id only). Each source audits the question before it
/// answers; monitoring keeps nothing but a log line with counts (no identity number, no person id).
/// </summary>
public sealed class AuditSearchService(AuditSources sources, TimeProvider clock, ILogger<AuditSearchService> logger)
{
    public const string UnknownService = "service.unknown";
    public const string PersonUnresolved = "person.unresolved";

    public async Task<Result<AuditSearchAnswer>> SearchAsync(string auditor, AuditSearchBody body, CancellationToken ct)
    {
        var violations = AuditSearchRules.Check(body.PersonId, body.IdNumber, body.Actor, body.Action, body.From, body.To, body.Limit, out var idNumber)
            .Select(v => new RuleViolation(v.Field, v.Rule, v.Message)).ToList();
        var asked = body.Services is { Count: > 0 } named ? AuditSources.All.Where(s => named.Contains(s.Service)).ToList() : [.. AuditSources.All];
        foreach (var unknown in (body.Services ?? []).Where(n => AuditSources.All.All(s => s.Service != n)))
        {
            violations.Add(new("services", UnknownService, $"'{Shorten(unknown)}' is not a source: registry, collection, exchange or sharing."));
        }

        var cursors = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (body.After is { } after && !TryDecode(after, cursors))
        {
            violations.Add(new("after", AuditSearchRules.CursorFormat, "after is the next of a page, as a search answered it."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var limit = body.Limit ?? AuditSearchRules.DefaultLimit;
        var personGiven = body.PersonId is not null || idNumber is not null;
        var pages = new Dictionary<string, AuditSearchPage>(StringComparer.Ordinal);
        var states = new Dictionary<string, string?>(StringComparer.Ordinal);
        AuditSearchRequest Request(string service, Guid? personId, string? number) => new(
            personId, personId is null ? number : null, body.Actor, body.Action, body.From, body.To, cursors.GetValueOrDefault(service), limit, auditor);

        // The registry first when a person is named: the others are asked by the id it found.
        Guid? resolved = body.PersonId;
        string? masked = null;
        var rest = asked;
        if (personGiven && asked.Any(s => s.Service == "registry"))
        {
            await AskAsync("registry", Request("registry", body.PersonId, idNumber));
            if (pages.TryGetValue("registry", out var registry))
            {
                resolved = registry.PersonId;
                masked = registry.MaskedIdNumber;
            }

            rest = [.. asked.Where(s => s.Service != "registry")];
        }

        await Task.WhenAll(rest.Select(s =>
            personGiven && resolved is null && idNumber is not null && s.Service is "collection" or "exchange" && !pages.ContainsKey("registry")
                ? Unresolved(s.Service)
                : AskAsync(s.Service, Request(s.Service, resolved, idNumber))));

        var (entries, next) = Merge(asked.Select(s => s.Service).ToList(), pages, cursors, limit);
        var sourceStates = asked.Select(s => pages.TryGetValue(s.Service, out var page)
            ? new AuditSourceState(s.Service, true, null, entries.Count(e => e.Service == s.Service), More(page, entries.Count(e => e.Service == s.Service)))
            : new AuditSourceState(s.Service, false, states.GetValueOrDefault(s.Service), 0, false)).ToList();
        var failed = sourceStates.Count(s => !s.Ok);
        logger.LogInformation("Audit search by auditor {Auditor}: person named {PersonNamed}, {Entries} entries, {Failed} source(s) not answering",
            auditor, personGiven, entries.Count, failed);
        return Result.Ok<AuditSearchAnswer>(new(resolved, masked, entries, sourceStates, failed == 0, next));

        async Task AskAsync(string service, AuditSearchRequest request)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(AuditSources.Timeout);
            try
            {
                var answer = await sources.SearchAsync(service, request, timeout.Token);
                lock (pages)
                {
                    if (answer.Value is { } page)
                    {
                        pages[service] = page;
                    }
                    else
                    {
                        states[service] = AuditSources.Describe(answer);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                lock (pages)
                {
                    states[service] = AuditSources.Describe(e, ct);
                }
            }
        }

        Task Unresolved(string service)
        {
            lock (pages)
            {
                states[service] = PersonUnresolved;
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Each service's audit chains, verified by the service; one that does not answer is named.</summary>
    public async Task<AuditChainsReport> ChainsAsync(CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var services = await Task.WhenAll(AuditSources.All.Select(async s =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(AuditSources.Timeout);
            try
            {
                var answer = await sources.ChainsAsync(s.Service, timeout.Token);
                return answer.Value is { } chains
                    ? new ServiceChains(s.Service, true, null, chains.Chains)
                    : new ServiceChains(s.Service, false, AuditSources.Describe(answer), []);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                return new ServiceChains(s.Service, false, AuditSources.Describe(e, ct), []);
            }
        }));
        var report = new AuditChainsReport(at, services, services.All(s => s.Answered && s.Chains.All(c => c.Intact)));
        logger.LogInformation("Audit chains verified: {Broken} broken, {Unanswered} service(s) not answering",
            services.Sum(s => s.Chains.Count(c => !c.Intact)), services.Count(s => !s.Answered));
        return report;
    }

    /// <summary>
    /// Merges the sources' pages oldest first (at the same instant, in the sources' order), taking from each page only from its
    /// start, so that each source's cursor moves to the last entry taken from it and nothing is lost or repeated.
    /// </summary>
    private static (List<AuditFinding> Entries, string? Next) Merge(
        IReadOnlyList<string> order, Dictionary<string, AuditSearchPage> pages, Dictionary<string, string?> cursors, int limit)
    {
        var taken = order.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        var entries = new List<AuditFinding>(limit);
        while (entries.Count < limit)
        {
            string? best = null;
            foreach (var service in order)
            {
                if (pages.TryGetValue(service, out var page) && taken[service] < page.Entries.Count
                    && (best is null || page.Entries[taken[service]].At < pages[best].Entries[taken[best]].At))
                {
                    best = service;
                }
            }

            if (best is null)
            {
                break;
            }

            var e = pages[best].Entries[taken[best]++];
            entries.Add(new(best, e.Id, e.At, e.Actor, e.Client, e.Unit, e.Action, e.Target, e.Purpose, e.Reason, e.PersonId, e.Outcome));
            cursors[best] = e.Cursor;
        }

        var more = pages.Any(p => More(p.Value, taken[p.Key]));
        return (entries, more ? Encode(cursors) : null);
    }

    private static bool More(AuditSearchPage page, int taken) => page.Next is not null || taken < page.Entries.Count;

    private static string Encode(Dictionary<string, string?> cursors) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(cursors));

    private static bool TryDecode(string text, Dictionary<string, string?> cursors)
    {
        try
        {
            var decoded = JsonSerializer.Deserialize<Dictionary<string, string?>>(Base64Url.DecodeFromChars(text));
            if (decoded is null || decoded.Keys.Any(k => AuditSources.All.All(s => s.Service != k)))
            {
                return false;
            }

            foreach (var (service, cursor) in decoded)
            {
                cursors[service] = cursor;
            }

            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => new([.. text.Take(40).Where(c => !char.IsControl(c))]);

}
