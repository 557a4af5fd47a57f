using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Import;
using PopInfo.Collection.Workbooks;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>
/// Bulk entry: upload a CSV file or an Excel workbook of forms (multipart field <c>file</c>, or the body), and the
/// template workbook to fill in.
/// </summary>
public static class ImportApi
{
    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Forms").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        api.MapPost("/forms/import", ImportForms)
            .DisableAntiforgery()
            .WithName("ImportForms").WithSummary("Upload a CSV file (UTF-8, UTF-16 or GB18030/GBK) or an .xlsx workbook of forms (docs/collection-csv.md; ?sheet= names the sheet, else the first visible one): good rows become submitted forms, bad rows are listed by line (a sheet's row), field and rule and kept for correction; the answer says the format and the encoding or sheet read; ?allOrNothing=true refuses the file if any row is bad.")
            .Produces<ImportResult>(201).ProducesProblem(400).ProducesProblem(409);

        api.MapGet("/forms/import-template", GetImportTemplate)
            .WithName("GetImportTemplate").WithSummary("The import's template workbook for one form type (?formType=birth or 出生): the import's header row, identity-number columns formatted as text, drop-down lists for coded fields (docs/collection-csv.md).")
            .Produces<byte[]>(200, DayExport.ContentType).ProducesProblem(400).ProducesProblem(403);

        api.MapGet("/imports/{id:guid}", GetImport)
            .WithName("GetImport").WithSummary("An earlier import: its forms and the rows kept back, with their violations.");
        return app;
    }

    public static async Task<Results<Created<ImportResult>, ProblemHttpResult>> ImportForms(
        [FromQuery] bool? allOrNothing, [FromQuery] string? sheet, FormImportService imports, HttpContext http, CancellationToken ct)
    {
        var (file, name) = await ReadFileAsync(http.Request, ct);
        if (file is null)
        {
            return Refusal.Invalid("file", "required", "Send the CSV file or .xlsx workbook as multipart/form-data field 'file', or as the body.").ToTypedResult();
        }

        if (file.Length > FormCsvReader.MaxBytes)
        {
            var rule = FormWorkbookReader.IsWorkbook(file) ? FormCsvRules.WorkbookFileSize : FormCsvRules.FileSize;
            return Refusal.Invalid("file", rule, $"A file is at most {FormCsvReader.MaxBytes / 1024 / 1024} MiB.").ToTypedResult();
        }

        var imported = await imports.ImportAsync(DeskUser.From(http), file, name, string.IsNullOrWhiteSpace(sheet) ? null : sheet, allOrNothing ?? false, ct);
        return imported.Value is { } result ? TypedResults.Created($"/api/v1/imports/{result.ImportId}", result) : imported.Refusal!.ToTypedResult();
    }

    public static Results<FileContentHttpResult, ProblemHttpResult> GetImportTemplate([FromQuery] string? formType, HttpContext http)
    {
        var user = DeskUser.From(http);
        if (user.Role is not (PlatformRoles.Collector or PlatformRoles.Supervisor))
        {
            return FormService.Forbidden(null).ToTypedResult();
        }

        if (TextViolations.Of("formType", formType) is { } poisoned)
        {
            return Refusal.Invalid([poisoned]).ToTypedResult();
        }

        if (string.IsNullOrWhiteSpace(formType) || !FormCsvColumns.TryFindFormType(formType.Trim(), out var code))
        {
            return Refusal.Invalid("formType", "form-type.known",
                $"Name the form type of the template: one of {string.Join(", ", FormTypes.All.Select(t => t.Code))}, or its Chinese name.").ToTypedResult();
        }

        var type = FormTypes.Find(code)!;
        return TypedResults.File(ImportTemplate.Create(type), DayExport.ContentType, $"popinfo-template-{type.Code}.xlsx");
    }

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> GetImport(Guid id, FormImportService imports, HttpContext http, CancellationToken ct)
    {
        var found = await imports.GetAsync(DeskUser.From(http), id, ct);
        return found.Value is { } result ? TypedResults.Ok(result) : found.Refusal!.ToTypedResult();
    }

    private static async Task<(byte[]? File, string? Name)> ReadFileAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { } upload)
            {
                return (null, null);
            }

            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), Path.GetFileName(upload.FileName));
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        return body.Length == 0 ? (null, null) : (body.ToArray(), null);
    }
}
