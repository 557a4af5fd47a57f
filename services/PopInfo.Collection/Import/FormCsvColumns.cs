using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using PopInfo.Domain.Codes;

namespace PopInfo.Collection.Import;

/// <summary>How the values of a column are checked and normalised.</summary>
public enum FormCsvValueKind
{
    /// <summary>Free text, kept as written (trimmed).</summary>
    Text,

    /// <summary>
    /// A number kept as text (identity numbers, region codes, household numbers, phones): refused when a
    /// spreadsheet has turned it into scientific notation, which loses its digits.
    /// </summary>
    DigitText,

    /// <summary>A date, yyyy-MM-dd; normalised to that form.</summary>
    Date,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>是/否 or true/false; normalised to <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>A form type code or its Chinese name; normalised to the code.</summary>
    FormType,

    /// <summary>GB/T 2261.1 sex, 1/2 or 男/女; normalised to the code.</summary>
    Sex,

    /// <summary>A code of <see cref="FormCsvColumn.Codes"/> or its Chinese name; normalised to the code.</summary>
    Code,
}

/// <summary>
/// One field of a forms CSV file: its camelCase name (also its English header, matched ignoring case),
/// its Chinese headers, and how its values are read.
/// </summary>
/// <param name="Field">The camelCase field name, as in a form's data; also the English header.</param>
/// <param name="ChineseHeaders">The Chinese headers, the first being the usual one.</param>
/// <param name="Kind">How values are checked and normalised.</param>
/// <param name="Codes">For <see cref="FormCsvValueKind.Code"/>: the national code list.</param>
/// <param name="CodeRule">For <see cref="FormCsvValueKind.Code"/>: the rule a value outside the list breaks.</param>
public sealed record FormCsvColumn(
    string Field,
    IReadOnlyList<string> ChineseHeaders,
    FormCsvValueKind Kind,
    CodeList? Codes = null,
    string? CodeRule = null);

/// <summary>The columns and form types a forms CSV file may hold (docs/collection-csv.md describes them).</summary>
public static class FormCsvColumns
{
    public const string FormTypeField = "formType";
    public const string NoteField = "note";

    /// <summary>Form type codes and the Chinese names accepted for each (the short name, and the desk's name where it differs).</summary>
    public static IReadOnlyList<KeyValuePair<string, string[]>> FormTypes { get; } =
    [
        new("birth", ["出生", "出生登记"]),
        new("death", ["死亡", "死亡登记"]),
        new("move-in", ["迁入", "户籍迁入"]),
        new("move-out", ["迁出", "户籍迁出"]),
        new("move-within-city", ["市内迁移"]),
        new("migrant-arrival", ["流动人口登记", "流入"]),
        new("migrant-departure", ["流动人口注销", "流出"]),
        new("correction", ["信息更正"]),
        new("household-change", ["户籍变更"]),
    ];

    /// <summary>
    /// Every column. A field may have several Chinese headers (moveDate: 迁入日期, 迁出日期, 迁移日期), so a
    /// file holding several form types can give each its own column.
    /// </summary>
    public static IReadOnlyList<FormCsvColumn> All { get; } =
    [
        new(FormTypeField, ["表单类型"], FormCsvValueKind.FormType),
        new(NoteField, ["备注"], FormCsvValueKind.Text),

        // The person the form is about.
        new("idNumber", ["公民身份号码"], FormCsvValueKind.DigitText),
        new("name", ["姓名"], FormCsvValueKind.Text),
        new("sex", ["性别"], FormCsvValueKind.Sex),
        new("birthDate", ["出生日期"], FormCsvValueKind.Date),
        new("ethnicity", ["民族"], FormCsvValueKind.Code, NationalCodes.Ethnicity, FormCsvRules.EthnicityCode),
        new("maritalStatus", ["婚姻状况"], FormCsvValueKind.Code, NationalCodes.MaritalStatus, FormCsvRules.MaritalStatusCode),
        new("education", ["学历"], FormCsvValueKind.Code, NationalCodes.Education, FormCsvRules.EducationCode),
        new("occupation", ["职业"], FormCsvValueKind.Text),
        new("phone", ["联系电话"], FormCsvValueKind.DigitText),
        new("registeredAddress", ["户籍地址"], FormCsvValueKind.Text),
        new("registeredRegionCode", ["户籍地区划代码"], FormCsvValueKind.DigitText),
        new("residenceAddress", ["居住地址"], FormCsvValueKind.Text),
        new("residenceRegionCode", ["居住地区划代码"], FormCsvValueKind.DigitText),
        new("householdNumber", ["户号"], FormCsvValueKind.DigitText),
        new("relationshipToHead", ["与户主关系"], FormCsvValueKind.Code, NationalCodes.FamilyRelationship, FormCsvRules.RelationshipCode),

        // The event.
        new("motherIdNumber", ["母亲公民身份号码"], FormCsvValueKind.DigitText),
        new("noMotherReason", ["无母亲信息原因"], FormCsvValueKind.Text),
        new("deathDate", ["死亡日期"], FormCsvValueKind.Date),
        new("moveDate", ["迁入日期", "迁出日期", "迁移日期"], FormCsvValueKind.Date),
        new("origin", ["迁出地"], FormCsvValueKind.Text),
        new("destination", ["迁往地", "去往地"], FormCsvValueKind.Text),
        new("moveRegistration", ["户籍随迁"], FormCsvValueKind.Boolean),
        new("originRegionCode", ["来源地区划代码"], FormCsvValueKind.DigitText),
        new("arrivalDate", ["到达日期"], FormCsvValueKind.Date),
        new("reason", ["流入原因", "更正原因"], FormCsvValueKind.Text),
        new("expectedStayMonths", ["预计居住月数"], FormCsvValueKind.WholeNumber),
        new("departureDate", ["离开日期"], FormCsvValueKind.Date),
        new("newIdNumber", ["更正后身份号码"], FormCsvValueKind.DigitText),
    ];

    private static readonly FrozenDictionary<string, FormCsvColumn> ByEnglishHeader =
        All.ToFrozenDictionary(c => c.Field, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, FormCsvColumn> ByChineseHeader =
        All.SelectMany(c => c.ChineseHeaders, (c, header) => KeyValuePair.Create(header, c)).ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> FormTypeByName =
        FormTypes.Select(t => KeyValuePair.Create(t.Key, t.Key))
            .Concat(FormTypes.SelectMany(t => t.Value, (t, name) => KeyValuePair.Create(name, t.Key)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Finds the column a header (trimmed) names: one of its Chinese headers, or its camelCase field name in
    /// any case. <paramref name="isChinese"/> tells which, since several Chinese headers may name one field.
    /// </summary>
    public static bool TryFind(string header, [NotNullWhen(true)] out FormCsvColumn? column, out bool isChinese)
    {
        isChinese = ByChineseHeader.TryGetValue(header, out column);
        return isChinese || ByEnglishHeader.TryGetValue(header, out column);
    }

    /// <summary>
    /// The usual Chinese words for why a migrant came, and the register's codes for them: the register's own labels
    /// (<see cref="MigrantReasons.Labels"/>, which the template's drop-down offers) and the words collectors write.
    /// </summary>
    private static readonly FrozenDictionary<string, string> MigrantReasonByWord =
        MigrantReasons.All.Zip(MigrantReasons.Labels, (code, label) => KeyValuePair.Create(label, code))
            .Concat(new Dictionary<string, string>
            {
                ["工作"] = MigrantReasons.Work, ["打工"] = MigrantReasons.Work,
                ["做生意"] = MigrantReasons.Business,
                ["上学"] = MigrantReasons.Study, ["就学"] = MigrantReasons.Study, ["培训"] = MigrantReasons.Study,
                ["投亲"] = MigrantReasons.Family, ["随迁"] = MigrantReasons.Family, ["随迁家属"] = MigrantReasons.Family, ["婚嫁"] = MigrantReasons.Family,
                ["其它"] = MigrantReasons.Other,
            })
            .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The register's code for a migrant's reason written as a word (务工 → work).</summary>
    public static bool TryFindMigrantReason(string word, [NotNullWhen(true)] out string? code) => MigrantReasonByWord.TryGetValue(word, out code);

    /// <summary>The form type code a cell names: a code in any case, or a Chinese name.</summary>
    public static bool TryFindFormType(string value, [NotNullWhen(true)] out string? code) => FormTypeByName.TryGetValue(value, out code);
}
