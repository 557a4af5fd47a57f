using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Workbooks;

namespace PopInfo.UnitTests.Collection;

/// <summary>The day's export workbook, read back with OpenXml: string cells in text format, formulas neutralised.</summary>
public class DayExportWorkbookTests
{
    private static FormRow Form(string type, Dictionary<string, string> data, string? note = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Community_Code = "320213002001",
        Day = "2026-01-05",
        Form_Type = type,
        State = FormStates.Rejected,
        Data = JsonSerializer.Serialize(data),
        Note = note,
        Rejection = """{"title":"The request breaks one or more rules.","detail":"idNumber: already registered"}""",
        Created_By = "collector-a",
        Created_At = new DateTimeOffset(2026, 1, 5, 1, 30, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Every_cell_is_a_text_string_and_one_that_begins_like_a_formula_gets_an_apostrophe()
    {
        var forms = new[]
        {
            Form("birth", new() { ["idNumber"] = "320213202505120220", ["name"] = "=1+2", ["sex"] = "2" }, note: "@SUM(A1)"),
            Form("death", new() { ["idNumber"] = "320211194503120171", ["deathDate"] = "2026-01-04" }, note: "-5"),
        };

        using var document = SpreadsheetDocument.Open(new MemoryStream(DayExportWorkbook.Create(forms, "青石社区", "2026-01-05")), false);

        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        Assert.Equal("青石社区 2026-01-05", sheet.Name!.Value);
        var rows = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        var headers = rows[0].Elements<Cell>().Select(c => c.InnerText).ToList();
        Assert.Equal(["表单编号", "表单类型", "状态", "补录", "公民身份号码", "姓名", "性别", "死亡日期", "备注", "退回原因", "撤回原因", "录入人", "录入时间", "登记版本"], headers);
        string At(int row, string header) =>
            rows[row].Elements<Cell>().SingleOrDefault(c => c.CellReference!.Value!.StartsWith(Letter(headers.IndexOf(header)), StringComparison.Ordinal)
                && char.IsAsciiDigit(c.CellReference.Value[1]))?.InnerText ?? "";

        Assert.Equal(("'=1+2", "'@SUM(A1)", "'-5"), (At(1, "姓名"), At(1, "备注"), At(2, "备注")));
        Assert.Equal(("320213202505120220", "出生登记", "被退回"), (At(1, "公民身份号码"), At(1, "表单类型"), At(1, "状态")));
        Assert.Equal(("idNumber: already registered", "2026-01-05 09:30:00"), (At(2, "退回原因"), At(2, "录入时间")));
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        Assert.All(rows.Skip(1).SelectMany(r => r.Elements<Cell>()), c =>
        {
            Assert.Equal(CellValues.InlineString, c.DataType!.Value);
            Assert.Equal(49u, formats[(int)c.StyleIndex!.Value].NumberFormatId!.Value);
        });
    }

    [Fact]
    public void The_export_is_valid_Open_XML_as_Excel_expects_it()
    {
        var forms = new[] { Form("death", new() { ["idNumber"] = "320211194503120171", ["deathDate"] = "2026-01-04" }, note: "第一行\n第二行") };
        using var document = SpreadsheetDocument.Open(new MemoryStream(DayExportWorkbook.Create(forms, "青石社区", "2026-01-05")), false);

        var errors = new OpenXmlValidator(FileFormatVersions.Office2010).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static string Letter(int index) => ((char)('A' + index)).ToString();
}
