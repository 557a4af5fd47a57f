using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Import;
using PopInfo.Collection.Workbooks;
using PopInfo.Domain.Codes;

namespace PopInfo.UnitTests.Collection;

/// <summary>The import's template workbook: opened with OpenXml as Excel would, and read back by the import itself.</summary>
public class ImportTemplateTests
{
    public static TheoryData<string> FormTypeCodes => [.. FormTypes.All.Select(t => t.Code)];

    [Theory]
    [MemberData(nameof(FormTypeCodes))]
    public void The_template_s_header_is_read_by_the_import_as_the_form_s_fields(string code)
    {
        var type = FormTypes.Find(code)!;

        var file = FormWorkbookReader.Read(ImportTemplate.Create(type));

        // A header and no rows: the only complaint is that it is empty.
        var violation = Assert.Single(file.FileViolations);
        Assert.Equal((FormCsvRules.Empty, "The file has a header but no rows of forms."), (violation.Rule, violation.Message));
        Assert.Equal(type.ChineseName, file.Sheet);
        var fields = TemplateColumns.Of(type).Select(c => c.Column.Field).ToList();
        Assert.Equal([FormCsvColumns.FormTypeField, .. type.Required, .. type.Optional, FormCsvColumns.NoteField], fields);
    }

    [Fact]
    public void Identity_numbers_are_text_coded_fields_have_drop_downs_and_the_lists_are_on_a_hidden_sheet()
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(ImportTemplate.Create(FormTypes.MigrantArrival)), false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["流动人口登记", ImportTemplate.ListsSheet], sheets.Select(s => s.Name!.Value));
        Assert.Null(sheets[0].State);
        Assert.Equal(SheetStateValues.Hidden, sheets[1].State!.Value);

        var form = ((WorksheetPart)workbook.GetPartById(sheets[0].Id!)).Worksheet;
        var headers = form.GetFirstChild<SheetData>()!.Elements<Row>().Single().Elements<Cell>().Select(c => c.InnerText).ToList();
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        uint NumberFormatOf(string header)
        {
            var index = (uint)headers.IndexOf(header) + 1;
            var column = form.GetFirstChild<Columns>()!.Elements<Column>().Single(c => c.Min!.Value == index);
            return formats[(int)column.Style!.Value].NumberFormatId!.Value;
        }

        // Text ("@", 49) for the identity number and every other number-as-text column.
        Assert.Equal(49u, NumberFormatOf("公民身份号码"));
        Assert.Equal(49u, NumberFormatOf("联系电话"));
        Assert.Equal(49u, NumberFormatOf("来源地区划代码"));
        Assert.NotEqual(49u, NumberFormatOf("到达日期"));

        // A list validation per coded column, over the rows a file may hold, naming a range of the hidden sheet.
        var validations = form.GetFirstChild<DataValidations>()!.Elements<DataValidation>()
            .ToDictionary(v => headers[ColumnIndex(v.SequenceOfReferences!.InnerText!)], v => v);
        Assert.Equal(["表单类型", "性别", "民族", "流入原因", "婚姻状况", "学历", "与户主关系"], validations.Keys);
        Assert.All(validations.Values, v => Assert.Equal(DataValidationValues.List, v.Type!.Value));
        Assert.All(validations.Values, v => Assert.Matches(@"^([A-Z]+)2:\1(?:10001)$", v.SequenceOfReferences!.InnerText!));
        var names = workbook.Workbook.DefinedNames!.Elements<DefinedName>().ToDictionary(n => n.Name!.Value!, n => n.Text);
        var ethnicity = validations["民族"].Formula1!.Text;
        Assert.StartsWith($"'{ImportTemplate.ListsSheet}'!", names[ethnicity], StringComparison.Ordinal);

        // The hidden sheet holds the national list the import checks against: 58 names under its title.
        var lists = ((WorksheetPart)workbook.GetPartById(sheets[1].Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        var column = names[ethnicity]!.Split('$')[1];
        var items = lists.Select(r => r.Elements<Cell>().SingleOrDefault(c => c.CellReference!.Value!.StartsWith(column, StringComparison.Ordinal))?.InnerText)
            .Where(t => t is not null).ToList();
        Assert.Equal(["民族", .. NationalCodes.Ethnicity.Entries.Select(e => e.ChineseName)], items);
        Assert.Equal($"'{ImportTemplate.ListsSheet}'!${column}$2:${column}${items.Count}", names[ethnicity]);
    }

    [Theory]
    [MemberData(nameof(FormTypeCodes))]
    public void The_template_is_valid_Open_XML_as_Excel_expects_it(string code)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(ImportTemplate.Create(FormTypes.Find(code)!)), false);

        var errors = new OpenXmlValidator(FileFormatVersions.Office2010).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Every_item_of_every_drop_down_is_read_by_the_import_as_a_distinct_code()
    {
        var lists = FormTypes.All.SelectMany(t => TemplateColumns.Of(t).Where(c => c.List is not null).Select(c => (Type: t, c.Header, c.Column, c.List))).ToList();
        Assert.NotEmpty(lists);
        foreach (var (type, header, column, list) in lists)
        {
            var csv = $"表单类型,{(column.Field == FormCsvColumns.FormTypeField ? "备注" : header)}\n" +
                string.Concat(list!.Items.Select(item => column.Field == FormCsvColumns.FormTypeField ? $"{item},x\n" : $"{type.ChineseName},{item}\n"));

            var file = FormCsvReader.Read(System.Text.Encoding.UTF8.GetBytes(csv));

            Assert.True(file.IsClean, $"{type.Code} {header}: {string.Join("; ", file.Rows.SelectMany(r => r.Violations).Select(v => v.Message))}");
            var codes = file.Rows.Select(r => column.Field == FormCsvColumns.FormTypeField ? r.FormType : r.Data[column.Field]).ToList();
            Assert.Equal(list.Items.Count, codes.Distinct().Count());
        }
    }

    private static int ColumnIndex(string range)
    {
        var letters = new string([.. range.TakeWhile(char.IsAsciiLetterUpper)]);
        return letters.Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1)) - 1;
    }
}
