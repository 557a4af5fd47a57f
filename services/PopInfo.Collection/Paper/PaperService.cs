using System.Text.Json;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Days;
using PopInfo.Collection.Forms;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Privacy;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Collection.Paper;

/// <summary>
/// A receipt (回执) as printed for the resident: the accepted form, the person by name with the identity number masked, what the
/// registry made of it, and where and by whom it was entered. Holds no full identity number: the page cannot print one.
/// </summary>
public sealed record Receipt(
    Guid FormId,
    string FormType,
    string? Name,
    string MaskedIdNumber,
    int? RegistryVersion,
    long? RegistrySequence,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? AcceptedAt,
    string Day,
    bool Late,
    string Collector,
    string CommunityCode,
    string CommunityName,
    string StreetName,
    string PrintedBy,
    DateTimeOffset PrintedAt);

/// <summary>One form on the day sheet, its person masked (name and identity number).</summary>
public sealed record DaySheetLine(
    int Number,
    string FormType,
    string State,
    bool Late,
    string MaskedName,
    string MaskedIdNumber,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AnsweredAt,
    int? RegistryVersion,
    long? RegistrySequence,
    string Collector);

/// <summary>The day sheet of the 一日一清 sign-off: the community's daily report as the desk computes it, and the day's forms.</summary>
public sealed record DaySheet(CommunityDayReport Report, string StreetCode, string StreetName, IReadOnlyList<DaySheetLine> Lines, string PrintedBy, DateTimeOffset PrintedAt);

/// <summary>
/// Reads what the printed pages show, for whoever may read the community's forms (its collector, its street's supervisor),
/// and audits every view as a read of the people on it: a receipt under its form's id, a day sheet under the ids of the
/// persons its forms are about (what the auditors' search finds a person's entries by); refusals too.
/// </summary>
public sealed class PaperService(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database,
    DayService days,
    RegionCatalogue regions,
    AuditLog audit,
    TimeProvider clock,
    ILogger<PaperService> logger)
{
    public const string ReceiptAction = "form.receipt";
    public const string DaySheetAction = "day.sheet";

    /// <summary>The receipt of an accepted form; any other state is a 409 <c>receipt.accepted-only</c>.</summary>
    /// <param name="user">Who asks.</param>
    /// <param name="formId">The form.</param>
    /// <param name="registry">For the name of a person the form itself does not name (a death, a move): the register's.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<Result<Receipt>> ReceiptAsync(DeskUser user, Guid formId, RegistryClient registry, CancellationToken ct)
    {
        FormRow? form;
        await using (var work = await database.OpenAsync(ct))
        {
            form = await new FormStore(work).GetAsync(formId, ct);
        }

        if (form is null || !user.MayRead(form.Community_Code, regions))
        {
            await audit.WriteAsync(user, ReceiptAction, formId.ToString(), form?.Community_Code, form is null ? "not-found" : "forbidden", ct: ct);
            return form is null ? Refusal.NotFound($"No form {formId}.") : FormService.Forbidden(form.Community_Code);
        }

        if (form.State != FormStates.Accepted)
        {
            await audit.WriteAsync(user, ReceiptAction, formId.ToString(), form.Community_Code, "refused", form.State, ct: ct);
            return Refusal.Conflict("state", "receipt.accepted-only",
                $"The form is {form.State}: a receipt is printed only once the registry has accepted the form.");
        }

        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(form.Data) ?? [];
        var name = data.GetValueOrDefault("name");
        if (name is null && (form.Registry_Person_Id ?? form.Person_Id) is { } personId)
        {
            try
            {
                name = (string?)(await registry.FindByIdAsync(personId, ct))?.Record["name"];
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                // Only the kind of failure: the person is named by nothing here.
                logger.LogInformation("Registry not reachable for a receipt's name ({Error})", ex.GetType().Name);
                await audit.WriteAsync(user, ReceiptAction, formId.ToString(), form.Community_Code, "unavailable", "registry", ct: ct);
                return RegistryAway();
            }
        }

        await audit.WriteAsync(user, ReceiptAction, formId.ToString(), form.Community_Code, "ok", form.Form_Type, ct: ct);
        var community = regions.TryGet(form.Community_Code, out var c) ? c : null;
        // A corrected identity number is the one the register holds now.
        var idNumber = data.GetValueOrDefault("newIdNumber") ?? data.GetValueOrDefault("idNumber");
        return new Receipt(form.Id, form.Form_Type, name, IdentityNumber.Mask(idNumber), form.Registry_Version, form.Registry_Sequence,
            form.Submitted_At, form.Answered_At, form.Day, form.Late, form.Created_By, form.Community_Code, community?.Name ?? form.Community_Code,
            NameOf(community?.ParentCode), user.UserName, clock.GetUtcNow());
    }

    /// <summary>The day sheet of a community's day: its report and forms, read in one snapshot so that the counts and the lines agree.</summary>
    public async Task<Result<DaySheet>> DaySheetAsync(DeskUser user, string community, string day, CancellationToken ct)
    {
        if (days.RefusalOf(user, community, day) is { } refusal)
        {
            await audit.WriteAsync(user, DaySheetAction, day, community, "refused", refusal.Title, ct: ct);
            return refusal;
        }

        CommunityDayReport report;
        IReadOnlyList<FormRow> forms;
        await using (var snapshot = await database.BeginSnapshotAsync(ct))
        {
            report = await days.ReportAsync(snapshot, community, day, ct);
            forms = await new FormStore(snapshot).ListAsync(community, day, null, ct);
            await snapshot.CommitAsync(ct);
        }

        // After the snapshot and outside it (it is read-only), in a transaction of the entry's own as before; on a pooled
        // connection of the log's own, since the snapshot's goes back to the pool with it.
        var persons = forms.Select(f => f.Registry_Person_Id ?? f.Person_Id).OfType<Guid>().Distinct().ToList();
        await audit.WriteAsync(user, DaySheetAction, persons.Count > 0 ? string.Join(",", persons) : day, community, "ok",
            $"day {day}: {forms.Count} forms", ct: ct);

        var street = regions.TryGet(community, out var c) ? c.ParentCode : null;
        var lines = forms.Select((f, i) =>
        {
            var data = JsonSerializer.Deserialize<Dictionary<string, string>>(f.Data) ?? [];
            return new DaySheetLine(i + 1, f.Form_Type, f.State, f.Late,
                data.TryGetValue("name", out var name) ? PersonalDataMask.MaskName(name) : "",
                data.TryGetValue("idNumber", out var idNumber) ? IdentityNumber.Mask(idNumber) : "",
                f.Created_At, f.Answered_At, f.Registry_Version, f.Registry_Sequence, f.Created_By);
        }).ToList();
        return new DaySheet(report, street ?? "", NameOf(street), lines, user.UserName, clock.GetUtcNow());
    }

    private string NameOf(string? code) => code is not null && regions.TryGet(code, out var region) ? region.Name : code ?? "";

    private static Refusal RegistryAway() => Refusal.Unavailable("registry.available", "The register cannot be read now.",
        "The receipt names the person as the register has them, and the registry does not answer: print it again in a moment.",
        FormService.RegisterRetryAfterSeconds);
}
