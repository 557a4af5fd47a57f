using PopInfo.Collection.Forms;
using PopInfo.Collection.Import;
using PopInfo.Domain.Codes;

namespace PopInfo.Collection.Workbooks;

/// <summary>A drop-down list of the template: its defined name, its title on the lists' sheet, and its items.</summary>
public sealed record TemplateList(string Name, string Title, IReadOnlyList<string> Items);

/// <summary>One column of a form type's template: its header (one the import reads), whether the form requires it, its kind and list.</summary>
public sealed record TemplateColumn(string Header, FormCsvColumn Column, bool Required, TemplateList? List);

/// <summary>
/// Which columns a form type's template has and which drop-down list each coded column offers. Nothing is typed in by
/// hand here: the columns are the form type's fields (<see cref="FormTypes"/>) under the import's headers
/// (<see cref="FormCsvColumns"/>), the lists are the national code lists the import checks against
/// (<see cref="NationalCodes"/>) and the register's migrant reasons — each item a name the import reads as its code.
/// </summary>
public static class TemplateColumns
{
    /// <summary>Where a field has several Chinese headers (迁入日期, 迁出日期, 迁移日期), the one each form's template uses.</summary>
    private static readonly Dictionary<(string FormType, string Field), string> HeaderOf = new()
    {
        [("move-in", "moveDate")] = "迁入日期",
        [("move-out", "moveDate")] = "迁出日期",
        [("move-within-city", "moveDate")] = "迁移日期",
        [("move-out", "destination")] = "迁往地",
        [("migrant-departure", "destination")] = "去往地",
        [("migrant-arrival", "reason")] = "流入原因",
        [("correction", "reason")] = "更正原因",
    };

    public static readonly TemplateList Sexes = new("list_sex", "性别",
        [.. NationalCodes.Sex.Entries.Where(e => e.Code is SexCodes.Male or SexCodes.Female).Select(e => e.ChineseName)]);

    public static readonly TemplateList YesNo = new("list_yes_no", "是/否", ["是", "否"]);

    public static readonly TemplateList MigrantReasonList = new("list_migrant_reason", "流入原因", MigrantReasons.Labels);

    private static readonly Dictionary<CodeList, TemplateList> CodeLists = new()
    {
        [NationalCodes.Ethnicity] = Of(NationalCodes.Ethnicity, "list_ethnicity", "民族"),
        [NationalCodes.MaritalStatus] = Of(NationalCodes.MaritalStatus, "list_marital_status", "婚姻状况"),
        [NationalCodes.Education] = Of(NationalCodes.Education, "list_education", "学历"),
        [NationalCodes.FamilyRelationship] = Of(NationalCodes.FamilyRelationship, "list_relationship", "与户主关系"),
    };

    /// <summary>The form type's columns: 表单类型, the fields it requires, those it takes, then 备注.</summary>
    public static IReadOnlyList<TemplateColumn> Of(FormType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var byField = FormCsvColumns.All.ToDictionary(c => c.Field, StringComparer.Ordinal);
        var formTypeList = new TemplateList("list_form_type", "表单类型", [type.ChineseName]);
        var columns = new List<TemplateColumn> { new("表单类型", byField[FormCsvColumns.FormTypeField], true, formTypeList) };
        foreach (var field in type.Required.Concat(type.Optional))
        {
            var column = byField[field];
            columns.Add(new TemplateColumn(HeaderOf.GetValueOrDefault((type.Code, field), column.ChineseHeaders[0]), column, type.Required.Contains(field),
                ListOf(type, column)));
        }

        columns.Add(new TemplateColumn("备注", byField[FormCsvColumns.NoteField], false, null));
        return columns;
    }

    private static TemplateList? ListOf(FormType type, FormCsvColumn column) => column.Kind switch
    {
        FormCsvValueKind.Sex => Sexes,
        FormCsvValueKind.Boolean => YesNo,
        FormCsvValueKind.Code => CodeLists[column.Codes!],
        FormCsvValueKind.Text when column.Field == "reason" && type == FormTypes.MigrantArrival => MigrantReasonList,
        _ => null,
    };

    private static TemplateList Of(CodeList list, string name, string title) => new(name, title, [.. list.Entries.Select(e => e.ChineseName)]);
}
