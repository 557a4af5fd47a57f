using System.Security.Cryptography;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Transmission;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Import;

/// <summary>One bad row of an import: its line in the file and what is wrong with it.</summary>
public sealed record ImportBadRow(int Line, string? FormType, IReadOnlyList<RuleViolation> Violations);

/// <summary>
/// The answer to an upload: how many rows became forms (submitted to the registry) and which rows were kept back, why;
/// and how the file was read — <c>format</c> <c>csv</c> with its <c>encoding</c> (utf-8, utf-8-bom, utf-16le, utf-16be,
/// gb18030), or <c>xlsx</c> with the <c>sheet</c> read. The three are said by the upload's answer only: an earlier
/// import read again (GET) has them null, since they are not stored.
/// </summary>
public sealed record ImportResult(Guid ImportId, string CommunityCode, int Rows, int Accepted, int Rejected, IReadOnlyList<Guid> Forms,
    IReadOnlyList<ImportBadRow> BadRows, string? Format = null, string? Encoding = null, string? Sheet = null);

/// <summary>
/// Bulk entry by CSV or Excel workbook (docs/collection-csv.md). Every row is checked by the file's reader and by the form's
/// rules; good rows become forms and are submitted, bad rows are kept (with their violations) for
/// correction. All of it is one transaction: a file is taken whole or not at all, and the same file
/// (by SHA-256) is never taken twice for a community. With <c>allOrNothing</c>, one bad row refuses the file.
/// </summary>
public sealed class FormImportService(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database,
    FormService forms,
    FormRules rules,
    RegistryClient registry,
    AuditLog audit,
    RelaySignal<RegistryCommandRelay<FormAnswerStore>> relaySignal,
    TimeProvider clock)
{
    /// <summary>
    /// Imports a CSV file or, when the file is a zip (as every .xlsx is), a workbook's sheet: <paramref name="sheet"/>
    /// names it, or the first visible sheet is read; a CSV file has no sheets, and the name is then not used.
    /// </summary>
    public async Task<Result<ImportResult>> ImportAsync(
        DeskUser user, byte[] file, string? fileName, string? sheet, bool allOrNothing, CancellationToken ct)
    {
        // The file's name is stored and audited, the sheet's name may be repeated: free text like any other.
        if (TextViolations.Check(("fileName", fileName), ("sheet", sheet)) is { Count: > 0 } poisoned)
        {
            return Refusal.Invalid(poisoned, "The file's or the sheet's name cannot be used: nothing was taken.");
        }

        if (user.CommunityCode is not { } community || !user.MayWrite(community))
        {
            await audit.WriteAsync(user, "forms.import", fileName, user.CommunityCode, "forbidden", ct: ct);
            return FormService.Forbidden(user.CommunityCode);
        }

        var workbook = FormWorkbookReader.IsWorkbook(file);
        var csv = workbook ? FormWorkbookReader.Read(file, sheet) : FormCsvReader.Read(file);
        var format = workbook ? "xlsx" : "csv";
        if (csv.FileViolations.Count > 0)
        {
            await audit.WriteAsync(user, "forms.import", fileName, community, "refused",
                $"{format}: {string.Join("; ", csv.FileViolations.Select(v => v.Rule))}", ct: ct);
            return Described(Refusal.Invalid(csv.FileViolations, "The file cannot be read as a forms file: nothing was taken."), format, csv);
        }

        var good = new List<(FormCsvRow Row, FormType Type)>();
        var bad = new List<ImportBadRow>();
        foreach (var row in csv.Rows)
        {
            var type = FormTypes.Find(row.FormType);
            var violations = row.Violations.ToList();
            if (type is not null)
            {
                violations.AddRange(rules.Check(type, row.Data, subjectKnownById: false));
            }
            else if (violations.Count == 0)
            {
                violations.Add(new RuleViolation("formType", "form-type.known", "The row has no known form type."));
            }

            if (violations.Count == 0)
            {
                good.Add((row, type!));
            }
            else
            {
                bad.Add(new ImportBadRow(row.Line, row.FormType, violations));
            }
        }

        // Rows are not checked against the register (the registry's answer does that), but whose person a row
        // is about is: a collector files only about people of its community (CollectorScope).
        var (outside, found) = await ScopeAsync(community, good, ct);
        if (outside.Count > 0)
        {
            good.RemoveAll(g => outside.ContainsKey(g.Row.Line));
            bad.AddRange(outside.Select(o => new ImportBadRow(o.Key, o.Value.Type, [o.Value.Violation])));
            bad.Sort((x, y) => x.Line.CompareTo(y.Line));
        }

        if (allOrNothing && bad.Count > 0)
        {
            var where = workbook ? "row" : "line";
            var refusal = Refusal.Invalid(
                [.. bad.SelectMany(b => b.Violations.Select(v => v with { Field = $"{where} {b.Line}: {v.Field}" }))],
                $"{bad.Count} of {csv.Rows.Count} rows break rules: nothing was taken (allOrNothing).")
                .With("badRows", bad);
            return Described(refusal, format, csv);
        }

        var sha = Convert.ToHexString(SHA256.HashData(file));
        var importId = Guid.CreateVersion7(clock.GetUtcNow());
        var now = clock.GetUtcNow();
        var formIds = new List<Guid>();
        await using (var work = await database.BeginAsync(ct))
        {
            var store = new FormStore(work);
            var imports = new FormImportStore(work);
            if (await imports.SameFileAsync(community, sha, ct) is { } earlier)
            {
                return Refusal.Conflict("file", "import.same-file", $"This file was already imported (import {earlier}): nothing was taken again.")
                    .With("importId", earlier);
            }

            await imports.AddAsync(importId, community, sha, fileName, csv.Rows.Count, good.Count, bad.Count, user.UserName, now, ct);

            var (day, late) = await forms.OpenDayAsync(work, store, community, ct);
            foreach (var (row, type) in good)
            {
                var form = forms.NewForm(user, community, day, late, type, null, null, row.Data, row.Note, now, importId, row.Line);
                // The person as the scope check found them: their id and version are pinned on the form, so the
                // registry refuses it if the person changed since (no silent last-writer-wins).
                await FormService.QueueAsync(store, form, type, row.Data, found.GetValueOrDefault(row.Line), user, now, ct);
                await store.AddEventAsync(form.Id, user.UserName, "created", $"import {importId}, line {row.Line}", now, ct);
                formIds.Add(form.Id);
            }

            foreach (var row in bad)
            {
                await imports.AddKeptRowAsync(importId, row, csv.Rows.First(r => r.Line == row.Line).Data, ct);
            }

            var refusedByScope = outside.Count > 0
                ? $"; refused: {string.Join(", ", outside.GroupBy(o => o.Value.Violation.Rule).Select(g => $"{g.Key} ×{g.Count()}"))}"
                : "";
            await audit.WriteAsync(user, "forms.import", importId.ToString(), community, "ok",
                $"{format} ({csv.Encoding ?? "sheet " + csv.Sheet}): {csv.Rows.Count} rows: {good.Count} forms, {bad.Count} kept back{refusedByScope}",
                work, ct);
            await work.CommitAsync(ct);
        }

        if (formIds.Count > 0)
        {
            relaySignal.Notify();
        }

        return new ImportResult(importId, community, csv.Rows.Count, good.Count, bad.Count, formIds, bad, format, csv.Encoding, csv.Sheet);
    }

    /// <summary>How the file was read, on a refusal too: the page can say "read as GB18030" next to a missing column.</summary>
    private static Refusal Described(Refusal refusal, string format, FormCsvFile file) =>
        refusal.With("format", format).With("encoding", file.Encoding).With("sheet", file.Sheet);

    /// <summary>
    /// The rows a collector of <paramref name="community"/> may not file, by line, and the persons the other rows
    /// are about as the register has them now (their versions are pinned on the forms). Rows about a person in the
    /// register need the register: one look-up each, a few at a time, outside any transaction. Once the registry
    /// does not answer, the remaining such rows are refused as unverifiable rather than asked again.
    /// </summary>
    private async Task<(Dictionary<int, (string Type, RuleViolation Violation)> Refused, Dictionary<int, RegisteredPerson> Found)> ScopeAsync(
        string community, IReadOnlyList<(FormCsvRow Row, FormType Type)> rows, CancellationToken ct)
    {
        var refused = new System.Collections.Concurrent.ConcurrentDictionary<int, (string, RuleViolation)>();
        var subjects = new System.Collections.Concurrent.ConcurrentDictionary<int, RegisteredPerson>();
        var registryAway = false;
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (item, token) =>
        {
            var (row, type) = item;
            PersonRegions? person = null;
            var answered = true;
            if (CollectorScope.NeedsRegister(type))
            {
                answered = !Volatile.Read(ref registryAway);
                if (answered && row.Data.TryGetValue("idNumber", out var idNumber))
                {
                    try
                    {
                        if (await registry.FindByIdNumberAsync(idNumber, token) is { } found)
                        {
                            person = new PersonRegions(found.ResidenceRegionCode, found.RegisteredRegionCode);
                            subjects[row.Line] = found;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
                                               && !token.IsCancellationRequested)
                    {
                        Volatile.Write(ref registryAway, true);
                        answered = false;
                    }
                }
            }

            if (CollectorScope.Check(type, community, row.Data, answered, person) is { } violation)
            {
                refused[row.Line] = (type.Code, violation);
            }
        });
        return (new(refused), new(subjects));
    }

    /// <summary>An earlier import, with the rows kept back for correction.</summary>
    public async Task<Result<ImportResult>> GetAsync(DeskUser user, Guid importId, CancellationToken ct)
    {
        await using var work = await database.OpenAsync(ct);
        var imports = new FormImportStore(work);
        var header = await imports.HeaderAsync(importId, ct);
        if (header is null)
        {
            return Refusal.NotFound($"No import {importId}.");
        }

        if (!user.MayWrite(header.Community))
        {
            return FormService.Forbidden(header.Community);
        }

        var formIds = await imports.FormsAsync(importId, ct);
        var kept = await imports.KeptRowsAsync(importId, ct);
        return new ImportResult(importId, header.Community, header.Total, header.Accepted, header.Rejected, formIds, kept);
    }
}
