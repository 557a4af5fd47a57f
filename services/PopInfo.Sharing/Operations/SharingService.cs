using System.Text.Json.Nodes;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Sharing;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.Sharing.Audit;
using PopInfo.Sharing.Grants;
using PopInfo.Sharing.People;

namespace PopInfo.Sharing.Operations;

/// <summary>
/// The operations departments call (docs/sharing.md). Each request goes the same way: the department's active grant, its
/// rate limit (the grant's requests a minute), the form of the request (purpose, case reference, end user), the operation and purpose against the grant, the question's
/// form, the daily quota (each item counted), then the read model; every person verified or returned — and every item
/// refused after the grant was checked — becomes an audit row, and the answer leaves only once its rows are committed.
/// A look-up or household treats a person outside the grant's regions as not held; a verification, which returns no
/// personal data (and a status only on a full match), answers for anyone in the register — a person who moved away has no
/// region left to be within.
/// </summary>
public sealed class SharingService(
    GrantCache grants,
    DepartmentUsage usage,
    AccessAudit audit,
    PeopleStore people,
    PeopleWatermark watermark,
    PeopleReadiness readiness,
    RegionCatalogue regions,
    TimeProvider clock)
{
    public async Task<Result<VerifyAnswer>> VerifyAsync(SharingCaller caller, VerifyRequest request, CancellationToken ct)
    {
        var question = SharingQuestions.OfVerification(request.IdNumber, request.Name, request.Sex);
        return await AnsweredAsync<VerifyAnswer>(caller, SharingOperations.Verify, request, question, items: 1, async context =>
        {
            var found = Holder(await people.ByIdNumberAsync(context.Reads, Normal(request.IdNumber), record: false, ct));
            var outcome = Verification.Outcome(found?.AsRegistered(), new VerificationClaim(request.Name!, request.BirthDate, request.Sex), context.Grant.MayTellNotFound);
            return await AuditedAsync(context, [context.Entry(found?.Person_Id, [], outcome)], new VerifyAnswer(outcome, context.AsOfSequence), ct);
        }, ct);
    }

    public async Task<Result<LookupAnswer>> LookupAsync(SharingCaller caller, LookupRequest request, CancellationToken ct)
    {
        var question = SharingQuestions.OfLookup(request.IdNumber, request.Name, request.BirthDate, request.Region, regions);
        return await AnsweredAsync<LookupAnswer>(caller, SharingOperations.Lookup, request, question, items: 1, async context =>
        {
            var (answer, entries) = await FindAsync(context, new LookupItem(request.IdNumber, request.Name, request.BirthDate, request.Region), null, ct);
            return await AuditedAsync(context, entries, answer with { AsOfSequence = context.AsOfSequence }, ct);
        }, ct);
    }

    public async Task<Result<BatchVerifyAnswer>> BatchVerifyAsync(SharingCaller caller, BatchVerifyRequest request, CancellationToken ct)
    {
        var size = SharingQuestions.OfBatch(request.Items?.Count);
        return await AnsweredAsync<BatchVerifyAnswer>(caller, SharingOperations.BatchVerify, request, size is null ? [] : [size], request.Items?.Count ?? 0, async context =>
        {
            var items = request.Items!;
            var problems = items.Select(i => SharingQuestions.OfVerification(i.IdNumber, i.Name, i.Sex)).ToList();
            var held = await people.ByIdNumbersAsync(context.Reads, [.. items.Where((_, k) => problems[k].Count == 0).Select(i => Normal(i.IdNumber))], record: false, ct);
            var results = new List<VerifyItemAnswer>(items.Count);
            var entries = new List<AccessAuditEntry>(items.Count);
            for (var k = 0; k < items.Count; k++)
            {
                var item = items[k];
                if (problems[k].Count > 0)
                {
                    results.Add(new VerifyItemAnswer(k, null, ItemProblems(problems[k])));
                    entries.Add(context.Entry(null, [], Outcomes.Invalid));
                    continue;
                }

                var found = Holder([.. held[Normal(item.IdNumber)]]);
                var outcome = Verification.Outcome(found?.AsRegistered(), new VerificationClaim(item.Name!, item.BirthDate, item.Sex), context.Grant.MayTellNotFound);
                results.Add(new VerifyItemAnswer(k, outcome, null));
                entries.Add(context.Entry(found?.Person_Id, [], outcome));
            }

            return await AuditedAsync(context, entries, new BatchVerifyAnswer(results, context.AsOfSequence), ct);
        }, ct);
    }

    public async Task<Result<BatchLookupAnswer>> BatchLookupAsync(SharingCaller caller, BatchLookupRequest request, CancellationToken ct)
    {
        var size = SharingQuestions.OfBatch(request.Items?.Count);
        return await AnsweredAsync<BatchLookupAnswer>(caller, SharingOperations.BatchLookup, request, size is null ? [] : [size], request.Items?.Count ?? 0, async context =>
        {
            var items = request.Items!;
            var problems = items.Select(i => SharingQuestions.OfLookup(i.IdNumber, i.Name, i.BirthDate, i.Region, regions)).ToList();
            // Every number asked in one read; names and birth dates one by one (their index is not by number).
            var held = await people.ByIdNumbersAsync(context.Reads, [.. items.Where((i, k) => problems[k].Count == 0 && i.IdNumber is not null).Select(i => Normal(i.IdNumber))], record: true, ct);
            var results = new List<LookupItemAnswer>(items.Count);
            var entries = new List<AccessAuditEntry>();
            for (var k = 0; k < items.Count; k++)
            {
                var item = items[k];
                if (problems[k].Count > 0)
                {
                    results.Add(new LookupItemAnswer(k, null, 0, ItemProblems(problems[k])));
                    entries.Add(context.Entry(null, [], Outcomes.Invalid));
                    continue;
                }

                var (answer, itemEntries) = await FindAsync(context, item, item.IdNumber is null ? null : [.. held[Normal(item.IdNumber)]], ct);
                results.Add(new LookupItemAnswer(k, answer.People, answer.Matches, null));
                entries.AddRange(itemEntries);
            }

            return await AuditedAsync(context, entries, new BatchLookupAnswer(results, context.AsOfSequence), ct);
        }, ct);
    }

    public async Task<Result<HouseholdAnswer>> HouseholdAsync(SharingCaller caller, HouseholdRequest request, CancellationToken ct)
    {
        var question = SharingQuestions.OfHousehold(request.IdNumber);
        return await AnsweredAsync<HouseholdAnswer>(caller, SharingOperations.Household, request, question, items: 1, async context =>
        {
            var person = Covered(context.Grant, await people.ByIdNumberAsync(context.Reads, Normal(request.IdNumber), record: true, ct));
            if (person?.Household_Id is not { } household)
            {
                return await AuditedAsync(context, [context.Entry(person?.Person_Id, [], Outcomes.NotFound)], new HouseholdAnswer([], context.AsOfSequence), ct);
            }

            var members = new List<HouseholdMember>();
            var entries = new List<AccessAuditEntry>();
            foreach (var member in (await people.HouseholdAsync(context.Reads, household, ct)).Where(m => context.Grant.Covers(m.Residence_Region_Code ?? m.Registered_Region_Code, regions)))
            {
                // The record parsed once: for the granted fields and for the relationship the answer always carries.
                var record = JsonNode.Parse(member.Record)!.AsObject();
                var (shown, names) = GrantedFields.Of(context.Grant, record);
                members.Add(new HouseholdMember((string?)record["relationshipToHead"], shown));
                entries.Add(context.Entry(member.Person_Id, names, Outcomes.Returned));
            }

            return await AuditedAsync(context, entries, new HouseholdAnswer(members, context.AsOfSequence), ct);
        }, ct);
    }

    // Admits the request, then answers it; the quota's reservation is given back unless its audit rows took it (an answer
    // that failed before its audit, or was cancelled, counts nothing).
    private async Task<Result<T>> AnsweredAsync<T>(SharingCaller caller, string operation, IStatedPurpose request, IReadOnlyList<GrantViolation> question,
        int items, Func<RequestContext, Task<Result<T>>> answer, CancellationToken ct)
    {
        var (refusal, context) = await AdmitAsync(caller, operation, request, question, items, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            return await answer(context!);
        }
        finally
        {
            usage.Release(context!.Reservation);
        }
    }

    // The grant, its rate limit, the request's form, the operation and purpose, the question, the read model's readiness, the quota:
    // the first that refuses answers. A request refused here returned nobody, so it has no audit rows.
    private async Task<(Refusal? Refusal, RequestContext? Context)> AdmitAsync(
        SharingCaller caller, string operation, IStatedPurpose request, IReadOnlyList<GrantViolation> question, int items, CancellationToken ct)
    {
        var view = await grants.GetAsync(caller.ClientId, ct);
        if (view is null || !view.IsActive)
        {
            return (SharingRefusals.Refused(new RuleViolation("grant", GrantRules.NoGrant,
                view is null ? "This client has no grant at the sharing service." : "This client's grant is suspended.")), null);
        }

        var grant = view.ToGrant();
        // Every request of a department with a grant counts against its rate limit, well-formed or not; a refused one's
        // count is written with the next audit commit (nudged).
        var limit = await usage.HitAsync(caller.ClientId, grant.RequestsPerMinute, ct);
        if (!limit.Allowed)
        {
            audit.Nudge();
            return (SharingRefusals.RateLimited(limit), null);
        }

        var refused = RefusalOf(grant, operation, request, question);
        if (refused is not null)
        {
            audit.Nudge();
            return (refused, null);
        }

        var decision = await usage.TryReserveAsync(caller.ClientId, Math.Max(1, items), grant.DailyQuota, ct);
        if (!decision.Allowed)
        {
            audit.Nudge();
            return (SharingRefusals.QuotaExceeded(decision), null);
        }

        // One source for the request's watermark and look-ups: its asOfSequence is that of the database it reads.
        var reads = people.Reads;
        return (null, new RequestContext(caller, grant, operation, request, Guid.NewGuid(), clock.GetUtcNow(), reads,
            await people.AsOfAsync(reads, watermark.Current, ct), decision.Reservation));
    }

    // The request's form, the operation and purpose, the question, the read model's readiness: the first that refuses answers.
    private Refusal? RefusalOf(SharingGrant grant, string operation, IStatedPurpose request, IReadOnlyList<GrantViolation> question)
    {
        if (SharingRequests.Problem(request.CaseReference, request.EndUser) is { } refusal)
        {
            return Refusal.Invalid([Violation(refusal)]);
        }

        if (grant.Refusal(operation, request.Purpose) is { } notGranted)
        {
            return notGranted.Rule == GrantRules.PurposeUnknown ? Refusal.Invalid([Violation(notGranted)]) : SharingRefusals.Refused(Violation(notGranted));
        }

        if (question.Count > 0)
        {
            return Refusal.Invalid([.. question.Select(Violation)]);
        }

        return readiness.IsReady ? null : SharingRefusals.Unavailable("The service's copy of the register is being built; try again shortly.", 30);
    }

    // One look-up: by identity number (every holder within the grant's regions; read already when a batch gives them), or by
    // name and birth date (and region).
    private async Task<(LookupAnswer Answer, List<AccessAuditEntry> Entries)> FindAsync(RequestContext context, LookupItem item, IReadOnlyList<PersonRow>? holders,
        CancellationToken ct)
    {
        IReadOnlyList<PersonRow> found = item.IdNumber is not null
            ? holders ?? await people.ByIdNumberAsync(context.Reads, Normal(item.IdNumber), record: true, ct)
            : await people.ByNameAndBirthAsync(context.Reads, Verification.NameKey(item.Name!), item.BirthDate!.Value, SharingOperations.MaxMatches * 5, ct);
        var kept = found.Where(p => context.Grant.Covers(p.Residence_Region_Code ?? p.Registered_Region_Code, regions)
            && (item.Region is null || Within(p, item.Region))).ToList();
        var listed = kept.Take(SharingOperations.MaxMatches).ToList();
        var shown = new List<JsonObject>(listed.Count);
        var entries = new List<AccessAuditEntry>(Math.Max(1, listed.Count));
        foreach (var person in listed)
        {
            var (fields, names) = GrantedFields.Of(context.Grant, person.Record);
            shown.Add(fields);
            entries.Add(context.Entry(person.Person_Id, names, Outcomes.Returned));
        }

        if (listed.Count == 0)
        {
            entries.Add(context.Entry(null, [], Outcomes.NotFound));
        }

        return (new LookupAnswer(shown, kept.Count, context.AsOfSequence), entries);
    }

    private bool Within(PersonRow person, string region) =>
        (person.Residence_Region_Code is { } r && regions.IsWithin(r, region)) || (person.Registered_Region_Code is { } g && regions.IsWithin(g, region));

    private PersonRow? Covered(SharingGrant grant, IReadOnlyList<PersonRow> holders) =>
        Holder([.. holders.Where(p => grant.Covers(p.Residence_Region_Code ?? p.Registered_Region_Code, regions))]);

    // The person holding a number: the latest to take it while a corrected number moves between two persons.
    private static PersonRow? Holder(IReadOnlyList<PersonRow> holders) => holders.OrderByDescending(p => p.Sequence ?? 0).FirstOrDefault();

    private async Task<Result<T>> AuditedAsync<T>(RequestContext context, IReadOnlyList<AccessAuditEntry> entries, T answer, CancellationToken ct)
    {
        try
        {
            await audit.WriteAsync(entries, context.Reservation, ct);
        }
        catch (AccessAuditUnavailableException)
        {
            // An answer whose audit was not stored is not sent.
            return SharingRefusals.Unavailable("The access could not be audited, so nothing is answered; try again shortly.", 5);
        }

        return answer;
    }

    private static string Normal(string? idNumber) => IdentityNumber.Parse(idNumber) is { IsValid: true } parsed ? parsed.Normalized : idNumber ?? "";

    private static RuleViolation Violation(GrantViolation v) => new(v.Field, v.Rule, v.Message);

    private static IReadOnlyList<ItemProblem> ItemProblems(IReadOnlyList<GrantViolation> problems) =>
        [.. problems.Select(p => new ItemProblem(p.Field, p.Rule, p.Message))];

    /// <summary>One admitted request: who, under which grant, what for, and the register sequence its answer reflects.</summary>
    private sealed record RequestContext(SharingCaller Caller, SharingGrant Grant, string Operation, IStatedPurpose Request, Guid RequestId, DateTimeOffset At,
        ServiceDatabase Reads, long AsOfSequence, QuotaReservation? Reservation)
    {
        public AccessAuditEntry Entry(Guid? person, IReadOnlyList<string> fields, string outcome) =>
            new(At, RequestId, Caller.ClientId, Request.EndUser, Operation, Request.Purpose!, Request.CaseReference!, person, fields, outcome, AsOfSequence);
    }
}

/// <summary>The outcomes an audit row records besides a verification's: returned, not found, or an item not asked.</summary>
public static class Outcomes
{
    public const string Returned = "returned";
    public const string NotFound = "not-found";
    public const string Invalid = "invalid";
}
