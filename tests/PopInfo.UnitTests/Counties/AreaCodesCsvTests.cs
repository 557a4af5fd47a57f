using PopInfo.Domain.Counties;

namespace PopInfo.UnitTests.Counties;

/// <summary>The county list's reader refuses what it does not understand, naming the line, rather than guessing.</summary>
public class AreaCodesCsvTests
{
    private const string Header = "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n";
    private const string Valid = Header
        + "320000,江苏省,,江苏省,省级,在用,1981,,\n"
        + "320200,江苏省,无锡市,无锡市,地级,在用,1981,,\n"
        + "320202,江苏省,无锡市,崇安区,县级,弃用,1983,2015,320213\n"
        + "320213,江苏省,无锡市,梁溪区,县级,在用,2015,,\n"
        + "110101,北京市,直辖,东城区,县级,在用,1981,,\n";

    private static CountyCatalogue Load(string csv) => CountyCatalogue.FromCsv(new StringReader(csv));

    [Fact]
    public void A_small_file_loads_without_its_province_and_with_a_byte_order_mark()
    {
        var catalogue = Load("\uFEFF" + Valid);

        Assert.Equal(["110101", "320200", "320202", "320213"], catalogue.Entries.Select(e => e.Code));
        Assert.Equal(CountyLevel.Prefecture, catalogue.LatestOf("320200")!.Level);
        Assert.Null(catalogue.LatestOf("110101")!.Prefecture);
    }

    [Fact]
    public void Another_header_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(Valid.Replace("新代码", "new", StringComparison.Ordinal)));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("320203,江苏省,无锡市,南长区,县级,弃用,1983,2015\n", "columns")]
    [InlineData("32020,江苏省,无锡市,南长区,县级,弃用,1983,2015,320213\n", "six digits")]
    [InlineData("320203,江苏省,无锡市,南长区,乡级,弃用,1983,2015,320213\n", "unknown level")]
    [InlineData("320203,江苏省,无锡市,南长区,县级,撤销,1983,2015,320213\n", "unknown status")]
    [InlineData("320203,江苏省,无锡市,,县级,弃用,1983,2015,320213\n", "must not be empty")]
    [InlineData("320203,江苏省,无锡市,南长区,县级,弃用,83,2015,320213\n", "a year")]
    [InlineData("320203,江苏省,无锡市,南长区,县级,弃用,1983,,320213\n", "end year")]
    [InlineData("320203,江苏省,无锡市,南长区,县级,在用,1983,2015,\n", "end year")]
    [InlineData("320203,江苏省,无锡市,南长区,县级,弃用,2015,1983,320213\n", "no later than")]
    [InlineData("320203,江苏省,无锡市,南长区,县级,弃用,1983,2015,320213(2015)\n", "new code")]
    [InlineData("320203,江苏省,无锡市,\"南长区\",县级,弃用,1983,2015,320213\n", "quoted")]
    public void A_malformed_line_is_refused_with_its_line_number(string line, string says)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(Valid + line));

        Assert.Contains("line 7", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_with_two_entries_in_use_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(Valid + "320213,江苏省,无锡市,梁溪新区,县级,在用,2016,,\n"));

        Assert.Contains("320213", error.Message, StringComparison.Ordinal);
    }
}
