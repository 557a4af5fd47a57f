using System.Text;
using PopInfo.Collection.Import;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.UnitTests.Collection;

public class FormCsvReaderTests
{
    private const string BirthId = "320213202505120220";
    private const string DeathId = "320211194503120171";

    private static FormCsvFile Read(string text) => FormCsvReader.Read(Encoding.UTF8.GetBytes(text));

    private static RuleViolation SingleFileViolation(FormCsvFile file, string rule)
    {
        var violation = Assert.Single(file.FileViolations);
        Assert.Equal(FormCsvRules.FileField, violation.Field);
        Assert.Equal(rule, violation.Rule);
        return violation;
    }

    [Fact]
    public void Chinese_headers_are_read_into_trimmed_normalised_fields()
    {
        var file = Read(
            "表单类型,公民身份号码,姓名,性别,出生日期,民族,与户主关系,备注\n" +
            $"出生, {BirthId} ,王小雨,女,2025-05-12,汉族,30,母亲代为登记\n");

        Assert.Empty(file.FileViolations);
        var row = Assert.Single(file.Rows);
        Assert.Equal(2, row.Line);
        Assert.Equal("birth", row.FormType);
        Assert.Equal("母亲代为登记", row.Note);
        Assert.Empty(row.Violations);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["idNumber"] = BirthId,
                ["name"] = "王小雨",
                ["sex"] = "2",
                ["birthDate"] = "2025-05-12",
                ["ethnicity"] = "01",
                ["relationshipToHead"] = "30",
            },
            row.Data);
    }

    [Fact]
    public void English_headers_are_the_field_names_in_any_case()
    {
        var file = Read(
            "FORMTYPE,idNumber,MoveDate,moveregistration,residenceAddress,residenceRegionCode\n" +
            $"move-within-city,{DeathId},2025-10-20,否,无锡市梁溪区青石路66号,320213025001\n");

        Assert.True(file.IsClean);
        var row = Assert.Single(file.Rows);
        Assert.Equal("move-within-city", row.FormType);
        Assert.Equal("2025-10-20", row.Data["moveDate"]);
        Assert.Equal("false", row.Data["moveRegistration"]);
        Assert.Equal("320213025001", row.Data["residenceRegionCode"]);
    }

    [Fact]
    public void Chinese_and_English_headers_may_be_mixed_but_not_name_one_field_twice()
    {
        var mixed = Read($"表单类型,idNumber,死亡日期\ndeath,{DeathId},2025-10-02\n");
        Assert.True(mixed.IsClean);
        Assert.Equal("2025-10-02", Assert.Single(mixed.Rows).Data["deathDate"]);

        var twice = Read($"表单类型,性别,sex\n出生,男,1\n");
        var violation = SingleFileViolation(twice, FormCsvRules.DuplicateColumn);
        Assert.Equal("Columns 2 '性别' and 3 'sex' both name sex.", violation.Message);
    }

    [Fact]
    public void The_Chinese_headers_of_one_field_are_separate_columns_each_row_fills_one_of()
    {
        var file = Read(
            "表单类型,公民身份号码,迁入日期,迁出日期\n" +
            $"迁入,{BirthId},2025-09-01,\n" +
            $"迁出,{DeathId},,2025-09-15\n" +
            $"迁出,{DeathId},2025-09-01,2025-09-15\n" +
            $"迁出,{DeathId},2025-09-15,2025/9/15\n");

        Assert.Empty(file.FileViolations);
        Assert.Equal("2025-09-01", file.Rows[0].Data["moveDate"]);
        Assert.Equal("2025-09-15", file.Rows[1].Data["moveDate"]);

        var conflict = Assert.Single(file.Rows[2].Violations);
        Assert.Equal(new RuleViolation("moveDate", FormCsvRules.ConflictingValues,
            "迁入日期 and 迁出日期 hold different values; fill only one of them."), conflict);
        Assert.False(file.Rows[2].Data.ContainsKey("moveDate"));

        // The same date written twice is no conflict.
        Assert.Empty(file.Rows[3].Violations);
        Assert.Equal("2025-09-15", file.Rows[3].Data["moveDate"]);
    }

    [Fact]
    public void The_same_Chinese_header_twice_is_a_duplicate()
    {
        var file = Read("表单类型,迁入日期,迁出日期,迁入日期\n迁入,2025-09-01,,\n");

        var violation = SingleFileViolation(file, FormCsvRules.DuplicateColumn);
        Assert.Equal("Columns 2 '迁入日期' and 4 '迁入日期' both name moveDate.", violation.Message);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_stripped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"表单类型,公民身份号码\n死亡,{DeathId}\n")).ToArray();

        var file = FormCsvReader.Read(bytes);

        Assert.True(file.IsClean);
        var row = Assert.Single(file.Rows);
        Assert.Equal("death", row.FormType);
        Assert.Equal(DeathId, row.Data["idNumber"]);
    }

    [Fact]
    public void A_quoted_value_holds_commas_quotes_and_line_breaks_and_later_rows_keep_their_line_numbers()
    {
        // Line breaks only in the note: it is the one multi-line column (free-text rule).
        var file = Read(
            "表单类型,公民身份号码,居住地址,备注\n" +
            $"市内迁移,{DeathId},\"无锡市梁溪区青石路66号,5幢\"\"东\"\"单元\",\"第一行\n第二行\"\n" +
            $"死亡,{DeathId},,\n");

        Assert.True(file.IsClean);
        Assert.Equal([2, 4], file.Rows.Select(r => r.Line));
        Assert.Equal("无锡市梁溪区青石路66号,5幢\"东\"单元", file.Rows[0].Data["residenceAddress"]);
        Assert.Equal("第一行\n第二行", file.Rows[0].Note);
        Assert.Equal("death", file.Rows[1].FormType);
    }

    [Theory]
    [InlineData("\"无锡市梁溪区\n青石路66号\"", "text.control-character")]
    [InlineData("无锡市梁溪区\u0001青石路66号", "text.control-character")]
    [InlineData("无锡市梁溪区\u007F青石路66号", "text.control-character")]
    [InlineData("无锡市梁溪区\u0085青石路66号", "text.control-character")]
    [InlineData("无锡市\u202E号66路石青", "text.bidi-override")]
    [InlineData("无锡市\uFDD0", "text.noncharacter")]
    [InlineData("无锡市\U0010FFFF", "text.noncharacter")]
    public void A_poisoned_cell_is_reported_by_field_and_rule_and_dropped(string address, string rule)
    {
        // (A NUL byte refuses the whole file already: csv.encoding, naming its line.)
        var file = Read($"表单类型,公民身份号码,居住地址,居住地区划代码\n市内迁移,{DeathId},{address},320213001001\n");

        var row = Assert.Single(file.Rows);
        var violation = Assert.Single(row.Violations);
        Assert.Equal(("residenceAddress", rule), (violation.Field, violation.Rule));
        Assert.StartsWith("居住地址: ", violation.Message);
        Assert.False(row.Data.ContainsKey("residenceAddress"));
        Assert.Equal("320213001001", row.Data["residenceRegionCode"]);
    }

    [Fact]
    public void A_poisoned_form_type_or_note_is_reported_and_not_kept()
    {
        var file = Read($"表单类型,公民身份号码,备注\n死\u001B亡,{DeathId},\"可以\r\n换行\"\n死亡,{DeathId},不可\u0007响铃\n");

        Assert.Equal([("formType", "text.control-character")], file.Rows[0].Violations.Select(v => (v.Field, v.Rule)));
        Assert.Null(file.Rows[0].FormType);
        Assert.Equal("可以\r\n换行", file.Rows[0].Note);
        Assert.Equal([("note", "text.control-character")], file.Rows[1].Violations.Select(v => (v.Field, v.Rule)));
        Assert.Null(file.Rows[1].Note);
    }

    [Fact]
    public void A_poisoned_header_refuses_the_file_without_repeating_the_header()
    {
        var file = Read($"表单类型,公民身份号码,姓\u202E名\n死亡,{DeathId},王小雨\n");

        var violation = Assert.Single(file.FileViolations);
        Assert.Equal((FormCsvRules.FileField, "text.bidi-override"), (violation.Field, violation.Rule));
        Assert.StartsWith("Column 3 of the header: ", violation.Message);
        Assert.DoesNotContain('\u202E', violation.Message);
    }

    [Fact]
    public void Blank_lines_and_lines_of_empty_cells_are_skipped_but_counted_in_line_numbers()
    {
        var file = Read($"\n表单类型,公民身份号码\n\n死亡,{DeathId}\n , \n\r\n死亡,{DeathId}\n\n");

        Assert.True(file.IsClean);
        Assert.Equal([4, 7], file.Rows.Select(r => r.Line));
    }

    [Theory]
    [InlineData("2025-13-01", "出生日期: '2025-13-01' is not a real calendar date.")]
    [InlineData("2025-02-29", "出生日期: '2025-02-29' is not a real calendar date.")]
    [InlineData("12/05/2025", "出生日期: '12/05/2025' is not a date; write it as yyyy-MM-dd, e.g. 2024-03-15.")]
    [InlineData("2025年5月12日", "出生日期: '2025年5月12日' is not a date; write it as yyyy-MM-dd, e.g. 2024-03-15.")]
    public void A_bad_date_is_reported_on_its_field_and_left_out_of_the_data(string date, string message)
    {
        var file = Read($"表单类型,姓名,出生日期\n出生,王小雨,{date}\n");

        var row = Assert.Single(file.Rows);
        Assert.Equal(new RuleViolation("birthDate", FormCsvRules.DateFormat, message), Assert.Single(row.Violations));
        Assert.False(row.Data.ContainsKey("birthDate"));
        Assert.Equal("王小雨", row.Data["name"]);
    }

    [Theory]
    [InlineData("2025-05-12", "2025-05-12")]
    [InlineData("2025-5-2", "2025-05-02")]
    [InlineData("2025/5/12", "2025-05-12")]
    [InlineData("2025/05/02", "2025-05-02")]
    public void Year_first_dates_are_normalised_to_ISO(string date, string expected)
    {
        var row = Assert.Single(Read($"表单类型,死亡日期\n死亡,{date}\n").Rows);

        Assert.Empty(row.Violations);
        Assert.Equal(expected, row.Data["deathDate"]);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("男", "1")]
    [InlineData("男性", "1")]
    [InlineData("2", "2")]
    [InlineData("女", "2")]
    public void Sex_is_a_code_or_男_女(string sex, string code)
    {
        var row = Assert.Single(Read($"表单类型,性别\n出生,{sex}\n").Rows);

        Assert.Empty(row.Violations);
        Assert.Equal(code, row.Data["sex"]);
    }

    [Theory]
    [InlineData("M")]
    [InlineData("9")]
    [InlineData("男的")]
    public void Another_sex_is_refused(string sex)
    {
        var row = Assert.Single(Read($"表单类型,性别\n出生,{sex}\n").Rows);

        var violation = Assert.Single(row.Violations);
        Assert.Equal(("sex", FormCsvRules.SexCode), (violation.Field, violation.Rule));
        Assert.Equal($"性别: '{sex}' is not a sex of GB/T 2261.1; write 1 or 男 (male), 2 or 女 (female).", violation.Message);
        Assert.Empty(row.Data);
    }

    [Theory]
    [InlineData("01", "01")]
    [InlineData("汉族", "01")]
    [InlineData("汉", "01")]
    [InlineData("1", "01")]
    [InlineData("维吾尔族", "05")]
    [InlineData("97", "97")]
    public void Ethnicity_is_a_GB_3304_code_or_name(string ethnicity, string code)
    {
        var row = Assert.Single(Read($"表单类型,民族\n出生,{ethnicity}\n").Rows);

        Assert.Empty(row.Violations);
        Assert.Equal(code, row.Data["ethnicity"]);
    }

    [Theory]
    [InlineData("民族", "火星族", "ethnicity", "ethnicity.code")]
    [InlineData("民族", "60", "ethnicity", "ethnicity.code")]
    [InlineData("婚姻状况", "单身", "maritalStatus", "marital-status.code")]
    [InlineData("学历", "本科", "education", "education.code")]
    [InlineData("与户主关系", "室友", "relationshipToHead", "relationship.code")]
    public void A_value_outside_its_code_list_is_refused(string header, string value, string field, string rule)
    {
        var row = Assert.Single(Read($"表单类型,{header}\n出生,{value}\n").Rows);

        var violation = Assert.Single(row.Violations);
        Assert.Equal((field, rule), (violation.Field, violation.Rule));
        Assert.StartsWith($"{header}: '{value}' is not a code or name of GB", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_other_code_lists_take_a_code_or_its_Chinese_name()
    {
        var row = Assert.Single(Read("表单类型,婚姻状况,学历,与户主关系\n出生,已婚,20,户主\n").Rows);

        Assert.Empty(row.Violations);
        Assert.Equal("20", row.Data["maritalStatus"]);
        Assert.Equal("20", row.Data["education"]);
        Assert.Equal("02", row.Data["relationshipToHead"]);
    }

    [Fact]
    public void Integers_and_booleans_are_checked()
    {
        var file = Read(
            "表单类型,预计居住月数,户籍随迁\n" +
            "流入,024,是\n" +
            "流入,两年,也许\n");

        Assert.Empty(file.Rows[0].Violations);
        Assert.Equal("24", file.Rows[0].Data["expectedStayMonths"]);
        Assert.Equal("true", file.Rows[0].Data["moveRegistration"]);
        Assert.Equal(
            [
                new RuleViolation("expectedStayMonths", FormCsvRules.WholeNumber, "预计居住月数: '两年' is not a whole number."),
                new RuleViolation("moveRegistration", FormCsvRules.Boolean, "户籍随迁: '也许' is not 是 or 否 (true or false)."),
            ],
            file.Rows[1].Violations);
    }

    [Fact]
    public void An_identity_number_a_spreadsheet_turned_into_scientific_notation_is_refused()
    {
        var row = Assert.Single(Read("表单类型,公民身份号码\n死亡,3.20211E+17\n").Rows);

        var violation = Assert.Single(row.Violations);
        Assert.Equal(("idNumber", FormCsvRules.ScientificNotation), (violation.Field, violation.Rule));
    }

    [Theory]
    [InlineData("birth", "birth")]
    [InlineData("Move-Out", "move-out")]
    [InlineData("出生", "birth")]
    [InlineData("出生登记", "birth")]
    [InlineData("迁入", "move-in")]
    [InlineData("市内迁移", "move-within-city")]
    [InlineData("流动人口登记", "migrant-arrival")]
    [InlineData("流入", "migrant-arrival")]
    [InlineData("流动人口注销", "migrant-departure")]
    [InlineData("流出", "migrant-departure")]
    [InlineData("信息更正", "correction")]
    [InlineData("户籍变更", "household-change")]
    public void A_form_type_is_a_code_or_a_Chinese_name(string written, string code)
    {
        var row = Assert.Single(Read($"表单类型\n{written}\n").Rows);

        Assert.Empty(row.Violations);
        Assert.Equal(code, row.FormType);
    }

    [Fact]
    public void A_missing_or_unknown_form_type_is_reported_on_formType()
    {
        var file = Read($"表单类型,公民身份号码\n,{DeathId}\n结婚,{DeathId}\n");

        Assert.Equal(
            new RuleViolation("formType", FormCsvRules.FormType, "表单类型: a form type is required."),
            Assert.Single(file.Rows[0].Violations));
        var unknown = Assert.Single(file.Rows[1].Violations);
        Assert.Equal(("formType", FormCsvRules.FormType), (unknown.Field, unknown.Rule));
        Assert.StartsWith("表单类型: '结婚' is not a form type; write one of birth, death, move-in,", unknown.Message, StringComparison.Ordinal);
        Assert.All(file.Rows, r => Assert.Null(r.FormType));
        Assert.All(file.Rows, r => Assert.Equal(DeathId, r.Data["idNumber"]));
    }

    [Fact]
    public void A_header_without_a_form_type_column_is_a_file_violation()
    {
        var file = Read($"公民身份号码,死亡日期\n{DeathId},2025-10-02\n");

        var violation = SingleFileViolation(file, FormCsvRules.MissingColumn);
        Assert.Equal("The header has no 表单类型 (formType) column.", violation.Message);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_reported_with_its_line_and_reading_goes_on()
    {
        var file = Read(
            "表单类型,公民身份号码,死亡日期\n" +
            $"死亡,{DeathId},2025-10-02\n" +
            $"死亡,{DeathId},2025-10-02,多余\n" +
            $"死亡,{DeathId}\n" +
            $"死亡,{DeathId},2025-10-03\n");

        Assert.Empty(file.FileViolations);
        Assert.Equal([2, 3, 4, 5], file.Rows.Select(r => r.Line));
        Assert.Equal(
            new RuleViolation(FormCsvRules.RowField, FormCsvRules.ColumnCount, "The row has 4 cells but the header has 3 columns."),
            Assert.Single(file.Rows[1].Violations));
        Assert.Equal(
            new RuleViolation(FormCsvRules.RowField, FormCsvRules.ColumnCount, "The row has 2 cells but the header has 3 columns."),
            Assert.Single(file.Rows[2].Violations));
        Assert.Null(file.Rows[1].FormType);
        Assert.Empty(file.Rows[1].Data);
        Assert.Empty(file.Rows[3].Violations);
        Assert.Equal("2025-10-03", file.Rows[3].Data["deathDate"]);
    }

    [Fact]
    public void An_unknown_column_is_a_file_violation_and_the_rows_are_still_checked()
    {
        var file = Read("表单类型,姓名,出身日期\n出生,王小雨,2025-05-12\n出生,王小雨,2025-05-12\n生,王小雨,\n");

        var violation = SingleFileViolation(file, FormCsvRules.UnknownColumn);
        Assert.Equal("Column 3 '出身日期' is not a known column.", violation.Message);
        Assert.False(file.IsClean);
        Assert.Equal(3, file.Rows.Count);
        Assert.Equal(new Dictionary<string, string> { ["name"] = "王小雨" }, file.Rows[0].Data);
        Assert.Empty(file.Rows[0].Violations);
        Assert.Equal([FormCsvRules.FormType], file.Rows[2].Violations.Select(v => v.Rule));
    }

    [Fact]
    public void A_value_in_a_column_without_a_header_is_a_row_violation()
    {
        var file = Read($"表单类型,公民身份号码,\n死亡,{DeathId},\n死亡,{DeathId},遗漏\n");

        Assert.Empty(file.FileViolations);
        Assert.Empty(file.Rows[0].Violations);
        Assert.Equal(
            new RuleViolation(FormCsvRules.RowField, FormCsvRules.UnknownColumn, "Column 3 has no header but holds a value."),
            Assert.Single(file.Rows[1].Violations));
    }

    [Fact]
    public void A_first_line_that_names_no_column_means_the_file_has_no_header()
    {
        var file = Read($"出生,{BirthId},王小雨\n死亡,{DeathId},\n");

        var violation = SingleFileViolation(file, FormCsvRules.NoHeader);
        Assert.StartsWith("Line 1 should be the header", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BirthId, violation.Message, StringComparison.Ordinal);
        Assert.Empty(file.Rows);
    }

    [Fact]
    public void A_file_that_is_neither_UTF8_nor_GB18030_is_refused_naming_the_line()
    {
        // "死亡" in GBK is GB18030 too (a Chinese Windows spreadsheet's plain CSV: read, CsvEncodingTests); 0xFF is neither.
        byte[] gbk = [0xCB, 0xC0, 0xCD, 0xF6];
        byte[] bytes = [.. Encoding.ASCII.GetBytes("formType,idNumber\n"), .. gbk, .. Encoding.ASCII.GetBytes($",{DeathId}\n"), 0xFF, .. "\n"u8];

        var file = FormCsvReader.Read(bytes);

        var violation = SingleFileViolation(file, FormCsvRules.Encoding);
        Assert.StartsWith("The file is neither UTF-8 nor GB18030 (GBK): line 3 holds bytes", violation.Message, StringComparison.Ordinal);
        Assert.Empty(file.Rows);
        Assert.Null(file.Encoding);
    }

    [Fact]
    public void A_UTF16_file_with_a_byte_order_mark_is_read()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"表单类型,公民身份号码\n死亡,{DeathId}\n")).ToArray();

        var file = FormCsvReader.Read(bytes);

        Assert.True(file.IsClean);
        Assert.Equal(CsvEncoding.Utf16LittleEndian, file.Encoding);
        Assert.Equal(DeathId, Assert.Single(file.Rows).Data["idNumber"]);
    }

    [Fact]
    public void A_UTF16_file_without_a_byte_order_mark_is_refused_for_its_NUL_bytes()
    {
        var violation = SingleFileViolation(FormCsvReader.Read(Encoding.Unicode.GetBytes("formType\ndeath\n")), FormCsvRules.Encoding);

        Assert.StartsWith("Line 1 holds a NUL byte", violation.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-16", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spreadsheet_workbook_is_refused()
    {
        // The import hands an .xlsx (a zip) to the workbook reader; the CSV reader refuses one, and an .xls, as not CSV.
        byte[] xlsx = [.. "PK\x03\x04"u8, 0x14, 0x00, 0x06, 0x00];
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

        Assert.StartsWith("The file is a spreadsheet workbook", SingleFileViolation(FormCsvReader.Read(xlsx), FormCsvRules.Encoding).Message, StringComparison.Ordinal);
        var violation = SingleFileViolation(FormCsvReader.Read(xls), FormCsvRules.Encoding);

        Assert.StartsWith("The file is a spreadsheet workbook", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_10_001_rows_is_refused_and_one_of_10_000_is_read()
    {
        static string Rows(int count) =>
            "表单类型,公民身份号码,死亡日期\n" + string.Concat(Enumerable.Repeat($"死亡,{DeathId},2025-10-02\n", count));

        var tooMany = Read(Rows(FormCsvReader.MaxDataRows + 1));
        var violation = SingleFileViolation(tooMany, FormCsvRules.RowLimit);
        Assert.Equal("The file has more than 10,000 rows of forms; split it into files of at most 10,000 rows.", violation.Message);
        Assert.Empty(tooMany.Rows);

        var enough = Read(Rows(FormCsvReader.MaxDataRows));
        Assert.True(enough.IsClean);
        Assert.Equal(10_000, enough.Rows.Count);
        Assert.Equal(10_001, enough.Rows[^1].Line);
    }

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("\uFEFF", "The file is empty.")]
    [InlineData("\n\r\n\n", "The file is empty.")]
    [InlineData("表单类型,公民身份号码\n\n", "The file has a header but no rows of forms.")]
    public void An_empty_file_is_refused(string text, string message)
    {
        var file = Read(text);

        Assert.Equal(message, SingleFileViolation(file, FormCsvRules.Empty).Message);
        Assert.Empty(file.Rows);
    }

    [Fact]
    public void A_stray_quote_is_reported_on_its_row()
    {
        var file = Read($"表单类型,公民身份号码,姓名\n死亡,{DeathId},王\"小\"雨\n死亡,{DeathId},\n");

        var violation = Assert.Single(file.Rows[0].Violations);
        Assert.Equal((FormCsvRules.RowField, FormCsvRules.Quote), (violation.Field, violation.Rule));
        Assert.Equal(2, file.Rows[0].Line);
        Assert.Empty(file.Rows[1].Violations);
    }

    [Fact]
    public void A_quote_that_is_never_closed_is_reported_on_the_line_it_opens()
    {
        var file = Read($"表单类型,公民身份号码,姓名\n死亡,{DeathId},\n死亡,{DeathId},\"王小雨\n死亡,{DeathId},\n");

        Assert.Equal(2, file.Rows.Count);
        Assert.Empty(file.Rows[0].Violations);
        var row = file.Rows[1];
        Assert.Equal(3, row.Line);
        Assert.Equal(
            new RuleViolation(FormCsvRules.RowField, FormCsvRules.Quote,
                "A quoted value that starts on this line is never closed, so the rest of the file was read into it."),
            row.Violations[0]);
        // The rest of the file, line breaks and all, is not a name (the free-text rule): it is not kept either.
        Assert.Equal([("name", "text.control-character")], row.Violations.Skip(1).Select(v => (v.Field, v.Rule)));
        Assert.False(row.Data.ContainsKey("name"));
    }

    [Fact]
    public async Task A_stream_is_read_like_bytes()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($"表单类型,公民身份号码\n死亡,{DeathId}\n"));

        var file = await FormCsvReader.ReadAsync(stream);

        Assert.True(file.IsClean);
        Assert.Equal("death", Assert.Single(file.Rows).FormType);
    }

    [Fact]
    public async Task A_stream_longer_than_the_limit_is_refused()
    {
        using var stream = new MemoryStream(new byte[FormCsvReader.MaxBytes + 1]);

        var file = await FormCsvReader.ReadAsync(stream);

        Assert.Equal("The file is larger than 16 MiB.", SingleFileViolation(file, FormCsvRules.FileSize).Message);
    }

    [Fact]
    public void A_migrants_reason_in_chinese_becomes_the_registers_code_and_a_corrections_reason_stays_text()
    {
        var file = Read("表单类型,流入原因,更正原因\n流动人口登记,务工,\n信息更正,,务工证明有误\n");

        Assert.Equal("work", file.Rows[0].Data["reason"]);
        Assert.Equal("务工证明有误", file.Rows[1].Data["reason"]);
    }
}
