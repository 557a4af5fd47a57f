using System.IO.Compression;
using PopInfo.Collection.Import;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.Testing;

namespace PopInfo.UnitTests.Collection;

/// <summary>An .xlsx sheet of forms, read into the same rows and rules as CSV; the workbook's own rules and limits.</summary>
public class FormWorkbookReaderTests
{
    private const string BirthId = "320213202505120220";
    private const string DeathId = "320211194503120171";

    private static RuleViolation SingleFileViolation(FormCsvFile file, string rule)
    {
        var violation = Assert.Single(file.FileViolations);
        Assert.Equal((FormCsvRules.FileField, rule), (violation.Field, violation.Rule));
        return violation;
    }

    [Fact]
    public void A_sheet_reads_into_the_CSV_rows_with_the_sheet_s_row_numbers()
    {
        // The header on row 2 (a title row above it left empty), a blank row 4: rows keep the numbers Excel shows.
        var workbook = new TestWorkbook().Sheet("出生登记")
            .Row(2, "表单类型", "公民身份号码", "姓名", "性别", "出生日期", "民族", "备注")
            .Row(3, "出生登记", BirthId, "王小雨", "女性", new DateOnly(2025, 5, 12), "汉族", "母亲代为登记")
            .Row(5, "出生", BirthId, "李小明", 1, "2025/5/12", 1, null)
            .ToBytes();

        var file = FormWorkbookReader.Read(workbook);

        Assert.True(file.IsClean, string.Join("; ", file.Rows.SelectMany(r => r.Violations).Concat(file.FileViolations)));
        Assert.Equal("出生登记", file.Sheet);
        Assert.Null(file.Encoding);
        Assert.Equal([3, 5], file.Rows.Select(r => r.Line));
        Assert.Equal(
            new Dictionary<string, string> { ["idNumber"] = BirthId, ["name"] = "王小雨", ["sex"] = "2", ["birthDate"] = "2025-05-12", ["ethnicity"] = "01" },
            file.Rows[0].Data);
        Assert.Equal("母亲代为登记", file.Rows[0].Note);
        Assert.Equal(("1", "2025-05-12", "01"), (file.Rows[1].Data["sex"], file.Rows[1].Data["birthDate"], file.Rows[1].Data["ethnicity"]));
    }

    [Fact]
    public void An_identity_number_Excel_made_a_number_is_refused_on_its_row_by_field_and_rule()
    {
        var workbook = new TestWorkbook()
            .Next("表单类型", "公民身份号码", "死亡日期")
            .Next("死亡", DeathId, TestWorkbook.Serial(new DateOnly(2025, 10, 2)))
            .Next("死亡", 320211194503120171d, "2025-10-02")
            .Next("死亡", "3.20211E+17", "2025-10-02")
            .ToBytes();

        var file = FormWorkbookReader.Read(workbook);

        Assert.Empty(file.FileViolations);
        Assert.Equal("2025-10-02", file.Rows[0].Data["deathDate"]);
        Assert.Empty(file.Rows[0].Violations);
        foreach (var row in file.Rows.Skip(1))
        {
            var violation = Assert.Single(row.Violations);
            Assert.Equal(("idNumber", FormCsvRules.ExcelNumber), (violation.Field, violation.Rule));
            Assert.False(row.Data.ContainsKey("idNumber"));
        }

        Assert.Equal([2, 3, 4], file.Rows.Select(r => r.Line));
    }

    [Fact]
    public void A_bad_value_breaks_the_CSV_rule_by_its_name_on_the_sheet_s_row()
    {
        var workbook = new TestWorkbook()
            .Next("formType", "idNumber", "birthDate", "sex")
            .Next("birth", BirthId, "2025/13/01", "F")
            .ToBytes();

        var row = Assert.Single(FormWorkbookReader.Read(workbook).Rows);

        Assert.Equal(2, row.Line);
        Assert.Equal([("birthDate", FormCsvRules.DateFormat), ("sex", FormCsvRules.SexCode)], row.Violations.Select(v => (v.Field, v.Rule)));
    }

    [Fact]
    public void The_first_visible_sheet_is_read_or_the_one_named()
    {
        var workbook = new TestWorkbook()
            .Sheet("代码表", hidden: true).Next("民族").Next("汉族")
            .Sheet("说明").Next("表单类型", "公民身份号码").Next("死亡", DeathId)
            .Sheet("迁出").Next("表单类型", "公民身份号码", "迁出日期", "迁往地").Next("迁出", BirthId, "2025-10-20", "南京市").Next("迁出", DeathId, "2025-10-21", "上海市")
            .ToBytes();

        var first = FormWorkbookReader.Read(workbook);
        Assert.Equal(("说明", 1), (first.Sheet, first.Rows.Count));

        var named = FormWorkbookReader.Read(workbook, " 迁出 ");
        Assert.Equal(("迁出", 2), (named.Sheet, named.Rows.Count));
        Assert.Equal("move-out", named.Rows[1].FormType);

        var missing = SingleFileViolation(FormWorkbookReader.Read(workbook, "迁入"), FormCsvRules.WorkbookSheet);
        Assert.Equal("The workbook has no sheet named '迁入'; its sheets are: '说明', '迁出'.", missing.Message);
    }

    [Fact]
    public void A_sheet_of_10_001_rows_of_forms_is_refused_and_one_of_10_000_is_read()
    {
        static byte[] Rows(int count)
        {
            var workbook = new TestWorkbook().Next("表单类型", "公民身份号码", "死亡日期");
            for (var i = 0; i < count; i++)
            {
                workbook.Next("死亡", DeathId, "2025-10-02");
            }

            return workbook.ToBytes();
        }

        var tooMany = FormWorkbookReader.Read(Rows(FormTableReader.MaxDataRows + 1));
        SingleFileViolation(tooMany, FormCsvRules.WorkbookRowLimit);
        Assert.Empty(tooMany.Rows);

        var enough = FormWorkbookReader.Read(Rows(FormTableReader.MaxDataRows));
        Assert.True(enough.IsClean);
        Assert.Equal(10_001, enough.Rows[^1].Line);
    }

    [Fact]
    public void A_zip_bomb_is_refused_before_any_reader_unpacks_it()
    {
        // A real workbook, plus one entry of zeros that unpacks past the limit from a few hundred kilobytes.
        var workbook = new TestWorkbook().Next("表单类型", "公民身份号码").Next("死亡", DeathId).ToBytes();
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var bomb = zip.CreateEntry("xl/media/zeros.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i <= WorkbookPackage.MaxUnpackedBytes / zeros.Length; i++)
            {
                bomb.Write(zeros);
            }
        }

        var bytes = stream.ToArray();
        Assert.True(bytes.Length < 1024 * 1024, $"{bytes.Length} bytes");

        SingleFileViolation(FormWorkbookReader.Read(bytes), FormCsvRules.WorkbookUnpackedSize);
    }

    [Fact]
    public void A_file_that_is_a_zip_but_not_a_workbook_or_is_damaged_is_refused_as_unreadable()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("word/document.xml").Open();
            entry.Write("<w:document/>"u8);
        }

        SingleFileViolation(FormWorkbookReader.Read(stream.ToArray()), FormCsvRules.WorkbookUnreadable);
        byte[] damaged = [.. "PK\x03\x04"u8, .. new byte[200]];
        SingleFileViolation(FormWorkbookReader.Read(damaged), FormCsvRules.WorkbookUnreadable);
    }

    [Fact]
    public void A_sheet_wider_than_the_limit_is_refused()
    {
        var cells = new object?[FormWorkbookReader.MaxColumns + 1];
        cells[0] = "表单类型";
        cells[^1] = "x";
        var workbook = new TestWorkbook().Next(cells).Next("死亡").ToBytes();

        SingleFileViolation(FormWorkbookReader.Read(workbook), FormCsvRules.WorkbookColumnLimit);
    }
}
