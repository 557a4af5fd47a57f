using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Regions;

public class DivisionsCsvTests
{
    private const string Header = "level,code,name,parent_code\n";
    private const string Valid = Header
        + "city,320200,无锡市,320000\n"
        + "district,320205,锡山区,320200\n"
        + "street,320205001,东亭街道,320205\n"
        + "street,320205102,羊尖镇,320205\n";

    [Fact]
    public void A_small_file_builds_a_catalogue_with_generated_communities()
    {
        var catalogue = Load(Valid);

        Assert.Equal("320200", catalogue.CityCode);
        Assert.Single(catalogue.Districts);
        Assert.Equal(2, catalogue.Streets.Count);
        Assert.Equal(
            RegionCatalogue.Wuxi.ChildrenOf("320205001"),
            catalogue.ChildrenOf("320205001"));
    }

    [Theory]
    [InlineData("street,320205003,东北塘街道,320205,extra\n")]
    [InlineData("street,320205003,东北塘街道\n")]
    public void A_line_with_an_unexpected_column_count_is_rejected(string line)
    {
        var exception = Assert.Throws<InvalidDataException>(() => Load(Valid + line));

        Assert.Contains("Line 6", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_field_is_rejected_rather_than_guessed_at()
    {
        Assert.Throws<InvalidDataException>(() => Load(Valid + "street,320205003,\"东北塘,街道\",320205\n"));
    }

    [Theory]
    [InlineData("code,level,name,parent_code\n")]
    [InlineData("")]
    public void A_missing_or_different_header_is_rejected(string header)
    {
        Assert.Throws<InvalidDataException>(() => Load(header + "city,320200,无锡市,320000\n"));
    }

    [Theory]
    [InlineData("street,320206001,堰桥街道,320206\n")]
    [InlineData("street,320205001,东亭街道,320205\n")]
    [InlineData("community,320205001001,某社区,320205001\n")]
    [InlineData("street,32020500A,东亭街道,320205\n")]
    [InlineData("street,320205700,某园区,320205\n")]
    [InlineData("district,320206,惠山区,320205\n")]
    public void An_inconsistent_hierarchy_is_rejected(string line)
    {
        Assert.Throws<InvalidDataException>(() => Load(Valid + line));
    }

    private static RegionCatalogue Load(string csv)
    {
        using var reader = new StringReader(csv);
        return RegionCatalogue.FromCsv(reader);
    }
}
