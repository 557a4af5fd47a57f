using PopInfo.Domain.Export;

namespace PopInfo.UnitTests.Collection;

/// <summary>OWASP's advice on formula injection, for the desk's .xlsx export.</summary>
public class SpreadsheetTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+86 510 1234", "'+86 510 1234")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    public void A_value_that_begins_like_a_formula_gets_an_apostrophe(string value, string cell)
    {
        Assert.True(SpreadsheetText.StartsLikeFormula(value));
        Assert.Equal(cell, SpreadsheetText.Neutralise(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("320213202505120220")]
    [InlineData("王小雨")]
    [InlineData("无锡市 = 梁溪区")]
    [InlineData(" =1")]
    [InlineData("'=1")]
    public void Any_other_value_is_left_as_it_is(string value)
    {
        Assert.False(SpreadsheetText.StartsLikeFormula(value));
        Assert.Equal(value, SpreadsheetText.Neutralise(value));
    }
}
