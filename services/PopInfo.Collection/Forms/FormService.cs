using System.Text.Json;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Transmission;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Forms;

/// <summary>
/// A form's life on the desk: create (draft), edit, submit (checked, then queued for the registry in the
/// same transaction), withdraw. Every step is one transaction with its form event and audit entry;
/// a refused step stores nothing but the audit entry.
/// </summary>
public sealed class FormService(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database,
    FormRules rules,
    RegisterChecks registerChecks,
    RegionCatalogue regions,
    AuditLog audit,
    RelaySignal<RegistryCommandRelay<FormAnswerStore>> relaySignal,
    TimeProvider clock)
{
    public async Task<Result<FormView>> CreateAsync(DeskUser user, CreateFormRequest request, CancellationToken ct)
    {
        // Before the community is checked and audited: a poisoned value would poison the audit log too.
        if (FormData.CheckText(request.CommunityCode, request.FormType, request.Note) is { Count: > 0 } poisoned)
        {
            return Refusal.Invalid(poisoned);
        }

        var community = request.CommunityCode ?? user.CommunityCode;
        if (community is null || !user.MayWrite(community))
        {
            await audit.WriteAsync(user, "form.create", null, community, "forbidden", ct: ct);
            return Forbidden(community);
        }

        var violations = new List<RuleViolation>();
        var type = FormTypes.Find(request.FormType);
        if (type is null)
        {
            violations.Add(new("formType", "form-type.known", $"The form type is one of: {string.Join(", ", FormTypes.All.Select(t => t.Code))}."));
        }

        var data = FormData.Read(request.Data, violations);
        if (type is not null)
        {
            violations.AddRange(data.Keys.Where(f => !type.Takes(f)).Select(f => new RuleViolation(f, "field.allowed", $"A {type.Code} form does not take '{f}'.")));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        // Submitted at once: every rule first, so a refused form stores nothing.
        RegisterChecks.Result? checks = null;
        if (request.Submit)
        {
            (var refusal, checks) = await CheckAsync(type!, community, data, request.PersonId, ct);
            if (refusal is not null)
            {
                await audit.WriteAsync(user, "form.create", null, community, "refused", RulesOf(refusal), ct: ct);
                return refusal;
            }
        }

        var now = clock.GetUtcNow();
        FormRow form;
        await using (var work = await database.BeginAsync(ct))
        {
            var store = new FormStore(work);
            var (day, late) = await OpenDayAsync(work, store, community, ct);
            form = NewForm(user, community, day, late, type!, request.PersonId, request.ExpectedVersion, data, request.Note, now);
            if (request.Submit)
            {
                form = await QueueAsync(store, form, type!, data, checks!.Subject, user, now, ct);
            }
            else
            {
                await store.InsertAsync(form, ct);
            }

            await store.AddEventAsync(form.Id, user.UserName, "created", late ? $"late: day {day}" : null, now, ct);
            await audit.WriteAsync(user, "form.create", form.Id.ToString(), community, "ok", type!.Code, work, ct);
            await work.CommitAsync(ct);
        }

        if (request.Submit)
        {
            relaySignal.Notify();
        }

        return FormView.From(form);
    }

    /// <summary>
    /// The rules of the form, then — if they hold — whether the collector of <paramref name="community"/> may
    /// file it (<see cref="CollectorScope"/>) and the rules that need the register. A scope refusal is the only
    /// answer then: the register's facts about a person outside the community are not the collector's to read.
    /// </summary>
    private async Task<(Refusal? Refusal, RegisterChecks.Result? Checks)> CheckAsync(
        FormType type, string community, IReadOnlyDictionary<string, string> data, Guid? personId, CancellationToken ct)
    {
        var violations = rules.Check(type, data, personId is not null);
        if (violations.Count > 0)
        {
            return (Refusal.Invalid(violations), null);
        }

        if (!CollectorScope.NeedsRegister(type) && CollectorScope.Check(type, community, data, registerAnswered: true, person: null) is { } outside)
        {
            return (ScopeRefusal(outside), null);
        }

        // Outside any transaction: a slow or absent registry holds no database connection.
        var checks = await registerChecks.CheckAsync(type, data, personId, ct);
        if (CollectorScope.NeedsRegister(type))
        {
            var person = checks.Subject is { } subject ? new PersonRegions(subject.ResidenceRegionCode, subject.RegisteredRegionCode) : null;
            if (CollectorScope.Check(type, community, data, checks.RegistryAnswered, person) is { } refusal)
            {
                return (ScopeRefusal(refusal), checks);
            }
        }

        return (checks.Violations.Count > 0 ? Refusal.Invalid(checks.Violations) : null, checks);
    }

    /// <summary>
    /// The form as submitted now: a new command id, and the person's version seen now pinned unless the
    /// collector named one — the registry refuses the form if the person changes meanwhile. A named version
    /// later than the one found now is no version anyone saw, and the community rule judged the person as
    /// found now: that version is pinned instead, so the form never applies to a person who moved away since.
    /// </summary>
    private static FormRow AsSubmitted(FormRow form, RegisteredPerson? subject, DateTimeOffset now) => form with
    {
        State = FormStates.Submitted,
        Command_Id = Guid.CreateVersion7(now),
        Submitted_At = now,
        Person_Id = form.Person_Id ?? subject?.PersonId,
        Expected_Version = subject is not null && (form.Expected_Version is null || form.Expected_Version > subject.Version)
            ? subject.Version
            : form.Expected_Version,
    };

    /// <summary>Queues a submitted form's command for the registry and records the step, in the caller's transaction.</summary>
    private static async Task EnqueueAsync(FormStore store, FormRow submitted, FormType type, IReadOnlyDictionary<string, string> data,
        DeskUser user, DateTimeOffset now, CancellationToken ct)
    {
        var commandId = submitted.Command_Id!.Value;
        await store.AddCommandAsync(FormCommand.Build(submitted, type, data, now), now, ct);
        await store.AddEventAsync(submitted.Id, user.UserName, "submitted", $"command {commandId}", now, ct);
    }

    /// <summary>Stores a new form as submitted and queues its command, in the caller's transaction.</summary>
    internal static async Task<FormRow> QueueAsync(FormStore store, FormRow form, FormType type, IReadOnlyDictionary<string, string> data,
        RegisteredPerson? subject, DeskUser user, DateTimeOffset now, CancellationToken ct)
    {
        var queued = AsSubmitted(form, subject, now);
        await store.InsertAsync(queued, ct);
        await EnqueueAsync(store, queued, type, data, user, now, ct);
        return queued;
    }

    public async Task<Result<FormView>> UpdateAsync(DeskUser user, Guid id, UpdateFormRequest request, CancellationToken ct)
    {
        var violations = FormData.CheckText(null, null, request.Note);
        var data = FormData.Read(request.Data, violations);
        if (request.Revision is null)
        {
            violations.Add(new("revision", "required", "Send the revision of the form you edited."));
        }

        await using var work = await database.BeginAsync(ct);
        var store = new FormStore(work);
        var (form, refusal) = await FindWritableAsync(work, user, id, "form.update", ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var type = FormTypes.Find(form!.Form_Type)!;
        violations.AddRange(data.Keys.Where(f => !type.Takes(f)).Select(f => new RuleViolation(f, "field.allowed", $"A {type.Code} form does not take '{f}'.")));
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        if (form.State is not (FormStates.Draft or FormStates.Rejected))
        {
            return StateConflict(form, "edited");
        }

        var now = clock.GetUtcNow();
        if (!await store.UpdateDataAsync(id, request.Revision!.Value, request.PersonId ?? form.Person_Id, request.ExpectedVersion ?? form.Expected_Version,
                JsonSerializer.Serialize(data), request.Note ?? form.Note, user.UserName, now, ct))
        {
            return RevisionConflict(request.Revision.Value, form.Revision);
        }

        await store.AddEventAsync(id, user.UserName, "edited", null, now, ct);
        await audit.WriteAsync(user, "form.update", id.ToString(), form.Community_Code, "ok", work: work, ct: ct);
        await work.CommitAsync(ct);
        return (await GetViewAsync(id, ct))!;
    }

    public async Task<Result<FormView>> SubmitAsync(DeskUser user, Guid id, FormActionRequest request, CancellationToken ct)
    {
        FormRow? form;
        await using (var work = await database.OpenAsync(ct))
        {
            form = await new FormStore(work).GetAsync(id, ct);
        }

        if (form is null || !user.MayWrite(form.Community_Code))
        {
            await audit.WriteAsync(user, "form.submit", id.ToString(), form?.Community_Code, form is null ? "not-found" : "forbidden", ct: ct);
            return form is null ? NotFound(id) : Forbidden(form.Community_Code);
        }

        if (form.State is not (FormStates.Draft or FormStates.Rejected))
        {
            return StateConflict(form, "submitted");
        }

        var type = FormTypes.Find(form.Form_Type)!;
        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(form.Data)!;
        var (refusal, registerResult) = await CheckAsync(type, form.Community_Code, data, form.Person_Id, ct);
        if (refusal is not null)
        {
            await audit.WriteAsync(user, "form.submit", id.ToString(), form.Community_Code, "refused", RulesOf(refusal), ct: ct);
            return refusal;
        }

        var now = clock.GetUtcNow();
        var submitted = AsSubmitted(form, registerResult?.Subject, now);
        await using (var work = await database.BeginAsync(ct))
        {
            var store = new FormStore(work);
            if (!await store.MarkSubmittedAsync(id, request.Revision ?? form.Revision, submitted.Command_Id!.Value, submitted.Expected_Version, submitted.Person_Id,
                    user.UserName, now, ct))
            {
                var current = await store.GetAsync(id, ct);
                return current!.State is FormStates.Draft or FormStates.Rejected ? RevisionConflict(request.Revision ?? form.Revision, current.Revision) : StateConflict(current, "submitted");
            }

            await EnqueueAsync(store, submitted, type, data, user, now, ct);
            await audit.WriteAsync(user, "form.submit", id.ToString(), form.Community_Code, "ok", type.Code, work, ct);
            await work.CommitAsync(ct);
        }

        relaySignal.Notify();
        return (await GetViewAsync(id, ct))!;
    }

    public async Task<Result<FormView>> WithdrawAsync(DeskUser user, Guid id, FormActionRequest request, CancellationToken ct)
    {
        await using var work = await database.BeginAsync(ct);
        var store = new FormStore(work);
        // Whose form it is first (the audit entry names no reason): another community's collector learns nothing from a 400.
        var (form, refusal) = await FindWritableAsync(work, user, id, "form.withdraw", ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Refusal.Invalid("reason", "required", "Say why the form is withdrawn.");
        }

        // The desk's reason box is a text area: line breaks are welcome, control characters are not.
        if (TextViolations.Of("reason", request.Reason, multiLine: true) is { } poisoned)
        {
            return Refusal.Invalid([poisoned]);
        }

        var now = clock.GetUtcNow();
        if (!await store.MarkWithdrawnAsync(id, request.Revision ?? form!.Revision, request.Reason.Trim(), user.UserName, now, ct))
        {
            var current = await store.GetAsync(id, ct);
            return current!.State is FormStates.Draft or FormStates.Rejected ? RevisionConflict(request.Revision ?? 0, current.Revision) : StateConflict(current, "withdrawn");
        }

        await store.AddEventAsync(id, user.UserName, "withdrawn", request.Reason.Trim(), now, ct);
        await audit.WriteAsync(user, "form.withdraw", id.ToString(), form!.Community_Code, "ok", work: work, ct: ct);
        await work.CommitAsync(ct);
        return (await GetViewAsync(id, ct))!;
    }

    public async Task<Result<FormView>> GetAsync(DeskUser user, Guid id, CancellationToken ct)
    {
        var view = await GetViewAsync(id, ct);
        if (view is null || !user.MayRead(view.CommunityCode, regions))
        {
            await audit.WriteAsync(user, "form.read", id.ToString(), view?.CommunityCode, view is null ? "not-found" : "forbidden", ct: ct);
            return view is null ? NotFound(id) : Forbidden(view.CommunityCode);
        }

        await audit.WriteAsync(user, "form.read", id.ToString(), view.CommunityCode, "ok", ct: ct);
        return view;
    }

    public async Task<Result<IReadOnlyList<FormView>>> ListAsync(DeskUser user, string? communityCode, string? day, string? state, CancellationToken ct)
    {
        var community = communityCode ?? user.CommunityCode;
        if (community is null || !user.MayRead(community, regions))
        {
            await audit.WriteAsync(user, "form.list", null, community, "forbidden", ct: ct);
            return Forbidden(community);
        }

        if (day is not null && !BusinessDay.TryParse(day, out _))
        {
            return Refusal.Invalid("day", "date.format", "A day is written yyyy-MM-dd.");
        }

        await using var work = await database.OpenAsync(ct);
        var rows = await new FormStore(work).ListAsync(community, day ?? BusinessDay.Today(clock), state, ct);
        await audit.WriteAsync(user, "form.list", null, community, "ok", $"{rows.Count} forms", work, ct);
        return Result.Ok<IReadOnlyList<FormView>>([.. rows.Select(r => FormView.From(r))]);
    }

    private async Task<FormView?> GetViewAsync(Guid id, CancellationToken ct)
    {
        await using var work = await database.OpenAsync(ct);
        var store = new FormStore(work);
        var form = await store.GetAsync(id, ct);
        return form is null ? null : FormView.From(form, await store.EventsAsync(id, ct));
    }

    /// <summary>
    /// The form, if the user may write it. A refusal is audited in the transaction the request already holds, which is
    /// then committed with only that entry: on another connection the entry would wait for this transaction's write
    /// lock (SQLite: 30 s, then "database is locked", a 500 instead of the 403).
    /// </summary>
    private async Task<(FormRow? Form, Refusal? Refusal)> FindWritableAsync(UnitOfWork work, DeskUser user, Guid id, string action, CancellationToken ct)
    {
        var form = await new FormStore(work).GetAsync(id, ct);
        if (form is not null && user.MayWrite(form.Community_Code))
        {
            return (form, null);
        }

        await audit.WriteAsync(user, action, id.ToString(), form?.Community_Code, form is null ? "not-found" : "forbidden", work: work, ct: ct);
        await work.CommitAsync(ct);
        return (null, form is null ? NotFound(id) : Forbidden(form.Community_Code));
    }

    /// <summary>
    /// The day a new form of the community goes to: today, or — when today is closed — the next open day,
    /// marked late. The lock (shared: forms are entered side by side) orders this against closing the
    /// day (DayService, exclusive), so no form slips into a day as it closes; it is held until the
    /// work's transaction ends.
    /// </summary>
    internal async Task<(string Day, bool Late)> OpenDayAsync(UnitOfWork work, FormStore store, string community, CancellationToken ct)
    {
        await work.LockAsync(DayLockName(community), shared: true, ct);
        var day = BusinessDay.Today(clock);
        var late = false;
        while (await store.IsDayClosedAsync(community, day, ct))
        {
            day = BusinessDay.Next(day);
            late = true;
        }

        return (day, late);
    }

    internal FormRow NewForm(DeskUser user, string community, string day, bool late, FormType type, Guid? personId, int? expectedVersion,
        IReadOnlyDictionary<string, string> data, string? note, DateTimeOffset now, Guid? importId = null, int? importLine = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        Community_Code = community,
        Street_Code = regions.TryGet(community, out var region) ? region.ParentCode ?? "" : "",
        Day = day,
        Late = late,
        Form_Type = type.Code,
        State = FormStates.Draft,
        Revision = 1,
        Person_Id = personId,
        Expected_Version = expectedVersion,
        Data = JsonSerializer.Serialize(data),
        Note = note,
        Import_Id = importId,
        Import_Line = importLine,
        Created_By = user.UserName,
        Created_At = now,
        Updated_By = user.UserName,
        Updated_At = now,
    };

    internal static string DayLockName(string community) => $"collection-day:{community}";

    internal static Refusal Forbidden(string? community) =>
        new(RefusalKind.Forbidden, community is null
            ? "Only a collector of a community enters its forms; name the community."
            : $"Your account may not read or write the forms of community {community}.")
        {
            Title = "Not your community.",
            Field = "communityCode",
            Rule = "scope.community",
        };

    /// <summary>
    /// A form the collector may not file (403), or may not file now because the register cannot say (503, try
    /// again): named by field and rule like a broken rule, in <c>violations</c> too, so the desk shows it at its field.
    /// </summary>
    internal static Refusal ScopeRefusal(RuleViolation violation)
    {
        var unavailable = violation.Rule == CollectorScope.RegisterUnavailable;
        return new(unavailable ? RefusalKind.Busy : RefusalKind.Forbidden, violation.Message)
        {
            Title = unavailable ? "The register does not answer." : "Not your community's to file.",
            Field = violation.Field,
            Rule = violation.Rule,
            Violations = [violation],
            RetryAfterSeconds = unavailable ? RegisterRetryAfterSeconds : null,
        };
    }

    /// <summary>How long a collector waits before trying the register again (the registry client's budget is 5 s).</summary>
    internal const int RegisterRetryAfterSeconds = 10;

    /// <summary>The rules a refusal names, for the audit entry.</summary>
    private static string RulesOf(Refusal refusal) =>
        refusal.Violations.Count > 0 ? string.Join("; ", refusal.Violations.Select(v => v.Rule)) : refusal.Rule ?? "";

    private static Refusal NotFound(Guid id) => Refusal.NotFound($"No form {id}.");

    private static Refusal StateConflict(FormRow form, string verb) =>
        Refusal.Conflict("state", "form.state", $"The form is {form.State}; only a draft or a rejected form can be {verb}.");

    private static Refusal RevisionConflict(int sent, int current) =>
        Refusal.Conflict("revision", "form.revision", $"The form changed since you read it (revision {sent}, now {current}): read it again.")
            .With("currentRevision", current);
}
