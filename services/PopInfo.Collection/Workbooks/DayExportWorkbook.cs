using System.Globalization;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Import;
using PopInfo.Domain.Export;
using PopInfo.Domain.Statistics;

namespace PopInfo.Collection.Workbooks;

/// <summary>
/// A community's day of forms as an .xlsx workbook: one row per form, the form's own columns under the import's Chinese
/// headers, then its state, note and who entered it when. Every cell is a string cell in text format (an identity
/// number stays 18 digits), and every one that begins like a formula is neutralised (<see cref="SpreadsheetText"/>).
/// Written row by row (OpenXmlWriter), so a day of ten thousand imported forms takes little memory.
/// </summary>
public static class DayExportWorkbook
{
    private static readonly IReadOnlyDictionary<string, string> StateNames = new Dictionary<string, string>
    {
        [FormStates.Draft] = "草稿",
        [FormStates.Submitted] = "等待登记",
        [FormStates.Accepted] = "已登记",
        [FormStates.Rejected] = "被退回",
        [FormStates.Withdrawn] = "已撤回",
    };

    public static byte[] Create(IReadOnlyList<FormRow> forms, string communityName, string day)
    {
        ArgumentNullException.ThrowIfNull(forms);
        var data = forms.Select(f => JsonSerializer.Deserialize<Dictionary<string, string>>(f.Data) ?? []).ToList();
        // The form columns any form of the day has, in the import's order.
        var fields = FormCsvColumns.All
            .Where(c => c.Field is not (FormCsvColumns.FormTypeField or FormCsvColumns.NoteField) && data.Exists(d => d.ContainsKey(c.Field)))
            .ToList();
        string[] before = ["表单编号", "表单类型", "状态", "补录"];
        string[] after = ["备注", "退回原因", "撤回原因", "录入人", "录入时间", "登记版本"];
        var headers = before.Concat(fields.Select(f => f.ChineseHeaders[0])).Concat(after).ToList();

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = WorkbookParts.Stylesheet();
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheetPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteElement(WorkbookParts.FrozenHeader());
                writer.WriteElement(new Columns(headers.Select((_, i) => new Column
                {
                    Min = (uint)i + 1, Max = (uint)i + 1, Width = 18d, CustomWidth = true, Style = WorkbookParts.TextStyle,
                })));
                writer.WriteStartElement(new SheetData());
                WriteRow(writer, 1, headers, WorkbookParts.HeaderStyle);
                for (var i = 0; i < forms.Count; i++)
                {
                    var form = forms[i];
                    var cells = new List<string>
                    {
                        form.Id.ToString(),
                        FormTypes.Find(form.Form_Type)?.ChineseName ?? form.Form_Type,
                        StateNames.GetValueOrDefault(form.State, form.State),
                        form.Late ? "是" : "否",
                    };
                    cells.AddRange(fields.Select(f => data[i].GetValueOrDefault(f.Field) ?? ""));
                    cells.Add(form.Note ?? "");
                    cells.Add(RejectionOf(form.Rejection));
                    cells.Add(form.Withdrawn_Reason ?? "");
                    cells.Add(form.Created_By);
                    cells.Add(form.Created_At.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                    cells.Add(form.Registry_Version?.ToString(CultureInfo.InvariantCulture) ?? "");
                    WriteRow(writer, (uint)i + 2, cells, WorkbookParts.TextStyle);
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            workbookPart.Workbook = new Workbook(new Sheets(new Sheet
            {
                // A sheet's name is at most 31 characters and has none of : \ / ? * [ ].
                Name = SheetName(communityName, day),
                SheetId = 1,
                Id = workbookPart.GetIdOfPart(sheetPart),
            }));
        }

        return stream.ToArray();
    }

    private static void WriteRow(OpenXmlWriter writer, uint row, List<string> cells, uint style)
    {
        writer.WriteStartElement(new Row { RowIndex = row });
        for (var c = 0; c < cells.Count; c++)
        {
            if (cells[c].Length > 0)
            {
                writer.WriteElement(WorkbookParts.Text(c, row, SpreadsheetText.Neutralise(cells[c]), style));
            }
        }

        writer.WriteEndElement();
    }

    /// <summary>The registry's reason for a rejection: its problem's detail, or its title.</summary>
    private static string RejectionOf(string? rejection)
    {
        if (string.IsNullOrEmpty(rejection))
        {
            return "";
        }

        try
        {
            using var problem = JsonDocument.Parse(rejection);
            foreach (var name in (string[])["detail", "Detail", "title", "Title"])
            {
                if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                {
                    return text.GetString() ?? "";
                }
            }
        }
        catch (JsonException)
        {
            // Stored by the desk itself as JSON; anything else is shown as it is.
        }

        return rejection;
    }

    private static string SheetName(string communityName, string day)
    {
        var name = new string([.. communityName.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]);
        name = name.Length > 20 ? name[..20] : name;
        return $"{name} {day}".Trim();
    }
}
