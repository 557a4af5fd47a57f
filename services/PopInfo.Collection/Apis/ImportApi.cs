using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Import;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>Bulk entry: upload a CSV of forms (multipart field <c>file</c>, or the body as text/csv).</summary>
public static class ImportApi
{
    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Forms").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        api.MapPost("/forms/import", async ([FromQuery] bool? allOrNothing, FormImportService imports, HttpContext http, CancellationToken ct) =>
            {
                var (file, name) = await ReadFileAsync(http.Request, ct);
                if (file is null)
                {
                    return Problem.Validation("file", "required", "Send the CSV as multipart/form-data field 'file', or as a text/csv body.").ToResult();
                }

                if (file.Length > FormCsvReader.MaxBytes)
                {
                    return Problem.Validation("file", "csv.file-size", $"A file is at most {FormCsvReader.MaxBytes / 1024 / 1024} MiB.").ToResult();
                }

                var (result, problem) = await imports.ImportAsync(DeskUser.From(http), file, name, allOrNothing ?? false, ct);
                return problem is null ? Results.Created($"/api/v1/imports/{result!.ImportId}", result) : problem.ToResult();
            })
            .DisableAntiforgery()
            .WithName("ImportForms").WithSummary("Upload a CSV of forms (docs/collection-csv.md): good rows become submitted forms, bad rows are listed by line, field and rule and kept for correction; ?allOrNothing=true refuses the file if any row is bad.")
            .Produces<ImportResult>(201).ProducesProblem(400).ProducesProblem(409);

        api.MapGet("/imports/{id:guid}", async (Guid id, FormImportService imports, HttpContext http, CancellationToken ct) =>
            {
                var (result, problem) = await imports.GetAsync(DeskUser.From(http), id, ct);
                return problem is null ? Results.Ok(result) : problem.ToResult();
            })
            .WithName("GetImport").WithSummary("An earlier import: its forms and the rows kept back, with their violations.");
        return app;
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
