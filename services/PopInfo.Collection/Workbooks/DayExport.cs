using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Days;
using PopInfo.Collection.Forms;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Collection.Workbooks;

/// <summary>An export's workbook, its file name, and how many forms it holds.</summary>
public sealed record DayExportFile(byte[] Content, string FileName, int Forms);

/// <summary>
/// A community's day of forms as an .xlsx workbook (<see cref="DayExportWorkbook"/>), for the people who may read that
/// day's forms (the community's collector, its street's supervisor). The workbook holds names and identity numbers, so
/// every export is audited before it is answered — who, which community and day, how many forms (<c>forms.export</c>) —
/// and so is every refusal.
/// </summary>
public sealed class DayExport(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, RegionCatalogue regions, DayService days, AuditLog audit)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task<Result<DayExportFile>> ExportAsync(DeskUser user, string community, string day, CancellationToken ct)
    {
        if (days.RefusalOf(user, community, day) is { } refusal)
        {
            if (refusal.Kind == RefusalKind.Forbidden)
            {
                await audit.WriteAsync(user, "forms.export", day, community, "forbidden", ct: ct);
            }

            return refusal;
        }

        regions.TryGet(community, out var region);   // found: RefusalOf looked it up
        await using var work = await database.OpenAsync(ct);
        var forms = await new FormStore(work).ListAsync(community, day, null, ct);
        var content = DayExportWorkbook.Create(forms, region!.Name, day);
        // Before the answer: no workbook leaves without its audit entry.
        await audit.WriteAsync(user, "forms.export", day, community, "ok", $"xlsx: {forms.Count} forms", work, ct);
        return new DayExportFile(content, $"forms-{community}-{day}.xlsx", forms.Count);
    }
}
