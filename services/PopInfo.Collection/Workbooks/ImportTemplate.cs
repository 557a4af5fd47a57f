using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Import;

namespace PopInfo.Collection.Workbooks;

/// <summary>
/// The import's template workbook for one form type (docs/collection-csv.md): its first sheet, named as the form
/// (出生登记, …), has the header row the import reads; the identity-number and other number-as-text columns are formatted
/// as text, so that Excel keeps every digit; date columns as yyyy-mm-dd; coded columns offer a drop-down list whose
/// items are on a hidden sheet (代码表), named ranges the validations refer to. One workbook per form type: the import
/// reads the first sheet, so a filled-in template is uploaded as it is.
/// </summary>
public static class ImportTemplate
{
    /// <summary>The hidden sheet of the drop-down lists.</summary>
    public const string ListsSheet = "代码表";

    /// <summary>The rows the validations and formats cover: the header and as many rows as a file may hold.</summary>
    private const uint LastRow = FormTableReader.MaxDataRows + 1;

    public static byte[] Create(FormType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var columns = TemplateColumns.Of(type);
        var lists = columns.Where(c => c.List is not null).Select(c => c.List!).DistinctBy(l => l.Name).ToList();

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = WorkbookParts.Stylesheet();

            var formPart = workbookPart.AddNewPart<WorksheetPart>();
            formPart.Worksheet = FormSheet(columns);
            var listsPart = workbookPart.AddNewPart<WorksheetPart>();
            listsPart.Worksheet = ListsSheetOf(lists);

            workbookPart.Workbook = new Workbook(
                new Sheets(
                    new Sheet { Name = type.ChineseName, SheetId = 1, Id = workbookPart.GetIdOfPart(formPart) },
                    new Sheet { Name = ListsSheet, SheetId = 2, Id = workbookPart.GetIdOfPart(listsPart), State = SheetStateValues.Hidden }),
                new DefinedNames(lists.Select((list, i) => new DefinedName
                {
                    Name = list.Name,
                    Text = $"'{ListsSheet}'!${WorkbookParts.ColumnName(i)}$2:${WorkbookParts.ColumnName(i)}${(list.Items.Count + 1).ToString(CultureInfo.InvariantCulture)}",
                })));
        }

        return stream.ToArray();
    }

    private static Worksheet FormSheet(IReadOnlyList<TemplateColumn> columns)
    {
        // A column's style is what Excel gives the cells typed into it: text keeps 0-led and 18-digit numbers whole.
        var widths = new Columns(columns.Select((c, i) => new Column
        {
            Min = (uint)i + 1,
            Max = (uint)i + 1,
            Width = c.Column.Kind is FormCsvValueKind.DigitText ? 22d : c.Column.Kind is FormCsvValueKind.Text ? 24d : 14d,
            CustomWidth = true,
            Style = StyleOf(c.Column.Kind),
        }));

        var header = new Row { RowIndex = 1 };
        header.Append(columns.Select((c, i) => WorkbookParts.Text(i, 1, c.Header, c.Required ? WorkbookParts.RequiredHeaderStyle : WorkbookParts.HeaderStyle)));

        var validations = columns.Select((c, i) => (Column: c, Index: i)).Where(x => x.Column.List is not null)
            .Select(x => new DataValidation
            {
                Type = DataValidationValues.List,
                AllowBlank = true,
                ShowErrorMessage = true,
                ErrorTitle = x.Column.Header,
                Error = "请从下拉列表中选择。Choose a value from the list.",
                SequenceOfReferences = new ListValue<StringValue>
                {
                    InnerText = $"{WorkbookParts.Reference(x.Index, 2)}:{WorkbookParts.Reference(x.Index, LastRow)}",
                },
                Formula1 = new Formula1(x.Column.List!.Name),
            })
            .ToList();

        var sheet = new Worksheet(WorkbookParts.FrozenHeader(), widths, new SheetData(header));
        if (validations.Count > 0)
        {
            sheet.Append(new DataValidations(validations) { Count = (uint)validations.Count });
        }

        return sheet;
    }

    /// <summary>The lists' sheet: a column per list, its title in row 1 and its items below.</summary>
    private static Worksheet ListsSheetOf(List<TemplateList> lists)
    {
        var data = new SheetData();
        var longest = lists.Count == 0 ? 0 : lists.Max(l => l.Items.Count);
        for (var r = 0; r <= longest; r++)
        {
            var row = new Row { RowIndex = (uint)r + 1 };
            for (var i = 0; i < lists.Count; i++)
            {
                var text = r == 0 ? lists[i].Title : r <= lists[i].Items.Count ? lists[i].Items[r - 1] : null;
                if (text is not null)
                {
                    row.Append(WorkbookParts.Text(i, (uint)r + 1, text, r == 0 ? WorkbookParts.HeaderStyle : WorkbookParts.TextStyle));
                }
            }

            data.Append(row);
        }

        return new Worksheet(data);
    }

    private static uint StyleOf(FormCsvValueKind kind) => kind switch
    {
        FormCsvValueKind.Date => WorkbookParts.DateStyle,
        FormCsvValueKind.WholeNumber => WorkbookParts.DefaultStyle,
        // Number-as-text, and everything read as text or a name from a list.
        _ => WorkbookParts.TextStyle,
    };
}
