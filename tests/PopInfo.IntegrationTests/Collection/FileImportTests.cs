using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// Files as offices have them (docs/collection-csv.md): a GBK CSV and an .xlsx imported with their bad rows named by line
/// (a sheet's row) and field, a named sheet, the workbook's limits, the template workbook, and the day's export with its audit.
/// </summary>
public sealed class FileImportTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static byte[] Gbk(string text) => CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes(text);

    [Fact]
    public async Task A_GBK_CSV_is_imported_its_answer_says_gb18030_and_a_bad_row_is_named_by_line_and_field()
    {
        var (_, dying, _) = await fixture.RegisterResidentAsync();
        var (_, other, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var csv = Gbk($"表单类型,公民身份号码,死亡日期,备注\r\n死亡,{dying},2026-01-06,医院证明\r\n死亡,{other},2026-13-06,\r\n");

        var (status, result) = await DeskForms.UploadFileAsync(desk, csv, "死亡登记.csv", "text/csv");

        Assert.True(status == 201, $"{status} {result}");
        Assert.Equal(("csv", "gb18030"), ((string)result["format"]!, (string)result["encoding"]!));
        Assert.Equal((2, 1, 1), ((int)result["rows"]!, (int)result["accepted"]!, (int)result["rejected"]!));
        var bad = result["badRows"]!.AsArray().Single()!;
        Assert.Equal(3, (int)bad["line"]!);
        Assert.Equal(("deathDate", "csv.date-format"), ((string)bad["violations"]![0]!["field"]!, (string)bad["violations"]![0]!["rule"]!));
        var (_, form) = await desk.GetJsonAsync($"/api/v1/forms/{(string)result["forms"]![0]!}");
        // The Chinese note came through GB18030 as the text it is.
        Assert.Equal("医院证明", (string)form["note"]!);
    }

    [Fact]
    public async Task An_xlsx_is_imported_with_a_bad_row_named_by_the_sheet_s_row_and_field()
    {
        var (_, dying, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        // Row 4 (row 3 left empty): an identity number Excel turned into a number, 3.20205E+17 on screen.
        var workbook = new TestWorkbook().Sheet("死亡登记")
            .Next("表单类型", "公民身份号码", "死亡日期")
            .Next("死亡", dying, new DateOnly(2026, 1, 6))
            .Row(4, "死亡", 320205195001010017d, TestWorkbook.Serial(new DateOnly(2026, 1, 6)))
            .ToBytes();

        var (status, result) = await DeskForms.UploadFileAsync(desk, workbook, "死亡登记.xlsx", XlsxType);

        Assert.True(status == 201, $"{status} {result}");
        Assert.Equal(("xlsx", "死亡登记"), ((string)result["format"]!, (string)result["sheet"]!));
        Assert.Null(result["encoding"]);
        Assert.Equal((2, 1, 1), ((int)result["rows"]!, (int)result["accepted"]!, (int)result["rejected"]!));
        var bad = result["badRows"]!.AsArray().Single()!;
        Assert.Equal(4, (int)bad["line"]!);
        Assert.Equal(("idNumber", "xlsx.excel-number"), ((string)bad["violations"]![0]!["field"]!, (string)bad["violations"]![0]!["rule"]!));
        var (_, form) = await desk.GetJsonAsync($"/api/v1/forms/{(string)result["forms"]![0]!}");
        Assert.Equal("2026-01-06", (string)form["data"]!["deathDate"]!);
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)form["id"]!)))["state"]!);
    }

    [Fact]
    public async Task A_named_sheet_is_read_and_a_missing_one_is_refused_naming_the_sheets()
    {
        var (_, leaving, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var workbook = new TestWorkbook()
            .Sheet("说明").Next("请在“迁出”表填写。")
            .Sheet("迁出").Next("表单类型", "公民身份号码", "迁出日期", "迁往地").Next("迁出", leaving, "2026-01-05", "南京市鼓楼区")
            .ToBytes();

        var (missing, problem) = await DeskForms.UploadFileAsync(desk, workbook, "forms.xlsx", XlsxType, "?sheet=" + Uri.EscapeDataString("迁入"));
        Assert.Equal(400, missing);
        Assert.Equal([("file", "xlsx.sheet")], problem.Violations());
        Assert.Contains("'迁出'", problem.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);

        var (status, result) = await DeskForms.UploadFileAsync(desk, workbook, "forms.xlsx", XlsxType, "?sheet=" + Uri.EscapeDataString("迁出"));

        Assert.True(status == 201, $"{status} {result}");
        Assert.Equal(("迁出", 1, 1), ((string)result["sheet"]!, (int)result["rows"]!, (int)result["accepted"]!));
    }

    [Fact]
    public async Task Too_many_rows_and_a_zip_bomb_are_refused_whole_naming_the_rule_and_nothing_is_taken()
    {
        using var desk = await fixture.SignInAsync("collector-a");
        var importsBefore = await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.imports");
        var tooMany = new TestWorkbook().Next("表单类型", "公民身份号码", "死亡日期");
        for (var i = 0; i <= 10_000; i++)
        {
            tooMany.Next("死亡", "320205195001010017", "2026-01-06");
        }

        var (status, problem) = await DeskForms.UploadFileAsync(desk, tooMany.ToBytes(), "forms.xlsx", XlsxType);
        Assert.Equal(400, status);
        Assert.Equal([("file", "xlsx.row-limit")], problem.Violations());

        (status, problem) = await DeskForms.UploadFileAsync(desk, ZipBomb(), "forms.xlsx", XlsxType);
        Assert.Equal(400, status);
        Assert.Equal([("file", "xlsx.unpacked-size")], problem.Violations());
        Assert.Equal("xlsx", (string)problem["format"]!);

        Assert.Equal(importsBefore, await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.imports"));
        Assert.True(await fixture.ScalarAsync(
            "SELECT COUNT(*) FROM collection.audit_log WHERE action = 'forms.import' AND actor = 'collector-a' AND outcome = 'refused' AND detail = 'xlsx: xlsx.unpacked-size'") >= 1);
    }

    [Fact]
    public async Task The_template_opens_with_text_identity_numbers_drop_downs_and_a_hidden_list_sheet()
    {
        using var desk = await fixture.SignInAsync("collector-a");

        using var response = await desk.GetAsync("/api/v1/forms/import-template?formType=" + Uri.EscapeDataString("出生"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(XlsxType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("popinfo-template-birth.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(("出生登记", SheetStateValues.Hidden), (sheets[0].Name!.Value!, sheets[1].State!.Value));
        var form = ((WorksheetPart)workbook.GetPartById(sheets[0].Id!)).Worksheet;
        var headers = form.GetFirstChild<SheetData>()!.Elements<Row>().Single().Elements<Cell>().Select(c => c.InnerText).ToList();
        Assert.Equal("公民身份号码", headers[1]);
        var idColumn = form.GetFirstChild<Columns>()!.Elements<Column>().Single(c => c.Min!.Value == 2);
        Assert.Equal(49u, workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)idColumn.Style!.Value).NumberFormatId!.Value);
        var sexColumn = WorkbookColumn(headers.IndexOf("性别"));
        Assert.Contains(form.GetFirstChild<DataValidations>()!.Elements<DataValidation>(),
            v => v.SequenceOfReferences!.InnerText == $"{sexColumn}2:{sexColumn}10001" && v.Formula1!.Text == "list_sex");

        var (unknown, problem) = await desk.GetJsonAsync("/api/v1/forms/import-template?formType=marriage");
        Assert.Equal(400, unknown);
        Assert.Equal([("formType", "form-type.known")], problem.Violations());
        using var admin = await fixture.SignInAsync("admin");
        using var refused = await admin.GetAsync("/api/v1/forms/import-template?formType=birth");
        Assert.Equal(403, (int)refused.StatusCode);
    }

    [Fact]
    public async Task The_day_s_export_neutralises_formulas_keeps_identity_numbers_as_text_and_is_audited()
    {
        var (_, dying, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        const string note = "=HYPERLINK(\"http://example.invalid\",\"点击\")";
        var (created, form) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "death", submit = false, note,
            data = new Dictionary<string, string> { ["idNumber"] = dying, ["deathDate"] = "2026-01-06" },
        });
        Assert.True(created == 201, $"{created} {form}");
        var day = (string)form["day"]!;
        var path = $"/api/v1/communities/{fixture.CommunityA}/days/{day}/forms.xlsx";

        using var response = await desk.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(XlsxType, response.Content.Headers.ContentType!.MediaType);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var sheet = ((WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Id!)).Worksheet;
        var rows = sheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        var headers = rows[0].Elements<Cell>().Select(c => c.InnerText).ToList();
        var mine = rows.Single(r => r.Elements<Cell>().Any(c => c.InnerText == (string)form["id"]!));
        string CellUnder(string header) => mine.Elements<Cell>().Single(c => c.CellReference!.Value! == WorkbookColumn(headers.IndexOf(header)) + mine.RowIndex!.Value).InnerText;
        Assert.Equal("'" + note, CellUnder("备注"));
        var idCell = mine.Elements<Cell>().Single(c => c.InnerText == dying);
        Assert.Equal(CellValues.InlineString, idCell.DataType!.Value);
        Assert.Equal("死亡登记", CellUnder("表单类型"));
        Assert.Equal("草稿", CellUnder("状态"));
        // No cell of the sheet begins like a formula.
        Assert.DoesNotContain(rows.SelectMany(r => r.Elements<Cell>()), c => c.InnerText.Length > 0 && c.InnerText[0] is '=' or '+' or '-' or '@');

        // Audited: who, which community and day, how many forms — as many as the sheet has rows of forms.
        Assert.Equal(1, await fixture.ScalarAsync(
            $"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'forms.export' AND actor = 'collector-a' AND outcome = 'ok' " +
            $"AND community_code = '{fixture.CommunityA}' AND target = '{day}' AND detail = 'xlsx: {rows.Count - 1} forms'"));

        // The street's supervisor may export it too; another community's collector may not, and the refusal is audited.
        using var supervisor = await fixture.SignInAsync("supervisor");
        using var bySupervisor = await supervisor.GetAsync(path);
        Assert.Equal(200, (int)bySupervisor.StatusCode);
        using var other = await fixture.SignInAsync("collector-b");
        using var refused = await other.GetAsync(path);
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal(1, await fixture.ScalarAsync(
            $"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'forms.export' AND actor = 'collector-b' AND outcome = 'forbidden' AND target = '{day}'"));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_file_endpoints()
    {
        using var client = fixture.Desk.CreateClient();

        var document = await client.GetStringAsync("/swagger/collection/swagger.json");

        Assert.Contains("\"/api/v1/forms/import-template\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/communities/{communityCode}/days/{day}/forms.xlsx\"", document, StringComparison.Ordinal);
        Assert.Contains(XlsxType, document, StringComparison.Ordinal);
    }

    private static string WorkbookColumn(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>A real workbook with one more entry of zeros that unpacks past the limit from a few hundred kilobytes.</summary>
    private static byte[] ZipBomb()
    {
        using var stream = new MemoryStream();
        stream.Write(new TestWorkbook().Next("表单类型", "公民身份号码").Next("死亡", "320205195001010017").ToBytes());
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var bomb = zip.CreateEntry("xl/media/zeros.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 80; i++)
            {
                bomb.Write(zeros);
            }
        }

        return stream.ToArray();
    }
}
