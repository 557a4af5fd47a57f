using System.Reflection;
using PopInfo.Domain.Codes;

namespace PopInfo.UnitTests.Codes;

public class NationalCodesTests
{
    // Found by reflection so that a list added later is checked without anyone remembering to add it here.
    public static TheoryData<string> CodeListNames()
    {
        var data = new TheoryData<string>();
        foreach (var property in CodeListProperties())
        {
            data.Add(property.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodeListNames))]
    public void No_code_list_has_a_duplicate_or_blank_code(string listName)
    {
        var list = GetList(listName);

        Assert.NotEmpty(list.Entries);
        Assert.Equal(list.Entries.Count, list.Entries.Select(e => e.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(list.Entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Code));
            Assert.False(string.IsNullOrWhiteSpace(e.ChineseName));
            Assert.False(string.IsNullOrWhiteSpace(e.EnglishName));
        });
    }

    [Theory]
    [MemberData(nameof(CodeListNames))]
    public void Every_code_list_names_its_standard(string listName)
    {
        var list = GetList(listName);

        Assert.Matches(@"^GB(/T)? \d+(\.\d+)?", list.Standard);
        Assert.False(string.IsNullOrWhiteSpace(list.Name));
    }

    [Fact]
    public void Ethnicity_lists_the_56_nationalities_in_order_then_97_and_98()
    {
        var codes = NationalCodes.Ethnicity.Entries.Select(e => e.Code).ToList();

        var expected = Enumerable.Range(1, 56).Select(n => n.ToString("D2")).Concat(["97", "98"]);
        Assert.Equal(expected, codes);
        Assert.Equal("汉族", NationalCodes.Ethnicity.NameOf("01"));
        Assert.Equal("基诺族", NationalCodes.Ethnicity.NameOf("56"));
        Assert.Equal("外国血统中国籍人士", NationalCodes.Ethnicity.NameOf("98"));
        Assert.All(NationalCodes.Ethnicity.Entries.Take(56), e => Assert.EndsWith("族", e.ChineseName, StringComparison.Ordinal));
    }

    [Fact]
    public void Sex_has_the_four_codes_of_GB_T_2261_1()
    {
        Assert.Equal(["0", "1", "2", "9"], NationalCodes.Sex.Entries.Select(e => e.Code));
        Assert.Equal("男性", NationalCodes.Sex.NameOf(SexCodes.Male));
        Assert.Equal("女性", NationalCodes.Sex.NameOf(SexCodes.Female));
    }

    [Fact]
    public void Marital_status_has_the_codes_of_GB_T_2261_2()
    {
        Assert.Equal(["10", "20", "21", "22", "23", "30", "40", "90"], NationalCodes.MaritalStatus.Entries.Select(e => e.Code));
    }

    [Fact]
    public void Family_relationship_is_the_full_GB_T_4761_list_with_the_head_of_household()
    {
        var list = NationalCodes.FamilyRelationship;

        Assert.Equal(84, list.Entries.Count);
        Assert.Equal("户主", list.NameOf(FamilyRelationshipCodes.Head));
        Assert.Equal("02", FamilyRelationshipCodes.Head);
        Assert.Equal("非亲属", list.NameOf("99"));
        Assert.False(list.Contains("98"));
    }

    [Fact]
    public void Education_has_the_top_level_codes_of_GB_T_4658()
    {
        Assert.Equal(["10", "11", "14", "20", "30", "40", "60", "70", "80", "90"], NationalCodes.Education.Entries.Select(e => e.Code));
    }

    [Fact]
    public void Province_has_the_34_province_level_divisions()
    {
        Assert.Equal(34, NationalCodes.Province.Entries.Count);
        Assert.Equal("江苏省", NationalCodes.Province.NameOf("32"));
        Assert.Equal("新疆维吾尔自治区", NationalCodes.Province.NameOf("65"));
        Assert.False(NationalCodes.Province.Contains("83"));
    }

    [Theory]
    [InlineData(typeof(SexCodes), "Sex")]
    [InlineData(typeof(MaritalStatusCodes), "MaritalStatus")]
    [InlineData(typeof(FamilyRelationshipCodes), "FamilyRelationship")]
    public void Every_named_code_constant_is_in_its_list(Type constants, string listName)
    {
        var list = GetList(listName);
        var values = constants.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(values);
        Assert.All(values, code => Assert.True(list.Contains(code), $"{constants.Name} has {code}, which {listName} lacks."));
    }

    [Fact]
    public void Lookups_are_exact_and_tolerate_null()
    {
        Assert.True(NationalCodes.Ethnicity.Contains("01"));
        Assert.False(NationalCodes.Ethnicity.Contains("1"));
        Assert.False(NationalCodes.Ethnicity.Contains(null));
        Assert.Null(NationalCodes.Ethnicity.NameOf("57"));
        Assert.True(NationalCodes.Ethnicity.TryGet("03", out var hui));
        Assert.Equal("Hui", hui.EnglishName);
    }

    private static IEnumerable<PropertyInfo> CodeListProperties() =>
        typeof(NationalCodes).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(CodeList));

    private static CodeList GetList(string name) =>
        (CodeList)typeof(NationalCodes).GetProperty(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
}
