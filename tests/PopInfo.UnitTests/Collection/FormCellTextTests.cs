using PopInfo.Collection.Import;

namespace PopInfo.UnitTests.Collection;

/// <summary>A workbook's cells read as their column's kind: the Excel-number rule and Excel's date serials.</summary>
public class FormCellTextTests
{
    private static FormCsvColumn Column(string field) => FormCsvColumns.All.Single(c => c.Field == field);

    [Theory]
    [InlineData("idNumber")]
    [InlineData("motherIdNumber")]
    [InlineData("phone")]
    [InlineData("residenceRegionCode")]
    public void A_number_in_a_number_as_text_column_is_refused_by_name_and_never_repeated(string field)
    {
        var ok = FormCellText.TryRead(FormCell.OfNumber(320213202505120000), Column(field), "公民身份号码", false, out var text, out var violation);

        Assert.False(ok);
        Assert.Null(text);
        Assert.Equal((field, FormCsvRules.ExcelNumber), (violation!.Field, violation.Rule));
        Assert.DoesNotContain("3202", violation.Message, StringComparison.Ordinal);
        Assert.Contains("as text", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.20213E+17")]
    [InlineData("3.20213e17")]
    [InlineData("3E+17")]
    public void What_Excel_shows_of_a_long_number_saved_as_text_is_refused_too(string shown)
    {
        Assert.False(FormCellText.TryRead(FormCell.OfText(shown), Column("idNumber"), "公民身份号码", false, out _, out var violation));
        Assert.Equal(FormCsvRules.ExcelNumber, violation!.Rule);
    }

    [Fact]
    public void An_identity_number_written_as_text_is_kept_as_written()
    {
        Assert.True(FormCellText.TryRead(FormCell.OfText("32021320250512022X"), Column("idNumber"), "公民身份号码", false, out var text, out _));
        Assert.Equal("32021320250512022X", text);
    }

    [Fact]
    public void A_date_typed_cell_in_a_number_as_text_column_is_a_number_too()
    {
        Assert.False(FormCellText.TryRead(FormCell.OfDate(new DateTime(2025, 5, 12)), Column("householdNumber"), "户号", false, out _, out var violation));
        Assert.Equal(FormCsvRules.ExcelNumber, violation!.Rule);
    }

    [Theory]
    [InlineData(45789, "2025-05-12")]
    [InlineData(45789.75, "2025-05-12")]
    [InlineData(45658, "2025-01-01")]
    [InlineData(61, "1900-03-01")]
    [InlineData(59, "1900-02-28")]
    [InlineData(1, "1900-01-01")]
    [InlineData(2958465, "9999-12-31")]
    public void A_number_in_a_date_column_is_an_Excel_date_serial(double serial, string date)
    {
        Assert.True(FormCellText.TryRead(FormCell.OfNumber(serial), Column("birthDate"), "出生日期", false, out var text, out _));
        Assert.Equal(date, text);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(2958466)]
    [InlineData(20250512)]
    public void A_number_that_is_no_day_Excel_shows_is_refused_as_a_date(double serial)
    {
        Assert.False(FormCellText.TryRead(FormCell.OfNumber(serial), Column("deathDate"), "死亡日期", false, out _, out var violation));
        Assert.Equal(("deathDate", FormCsvRules.DateFormat), (violation!.Field, violation.Rule));
    }

    [Fact]
    public void The_1904_date_system_counts_from_1904()
    {
        Assert.Equal("1904-01-01", FormCellText.SerialDate(0, date1904: true));
        Assert.Equal("2025-05-12", FormCellText.SerialDate(45789 - 1462, date1904: true));
        Assert.Null(FormCellText.SerialDate(0, date1904: false));
    }

    [Fact]
    public void A_date_typed_cell_is_its_day_and_a_date_written_as_text_stays_text_for_the_date_rule()
    {
        Assert.True(FormCellText.TryRead(FormCell.OfDate(new DateTime(2025, 5, 12, 9, 30, 0)), Column("arrivalDate"), "到达日期", false, out var typed, out _));
        Assert.Equal("2025-05-12", typed);
        Assert.True(FormCellText.TryRead(FormCell.OfText("2025/5/12"), Column("arrivalDate"), "到达日期", false, out var written, out _));
        Assert.Equal("2025/5/12", written);
    }

    [Fact]
    public void Numbers_in_other_columns_read_as_Excel_shows_them()
    {
        Assert.True(FormCellText.TryRead(FormCell.OfNumber(1), Column("sex"), "性别", false, out var sex, out _));
        Assert.Equal("1", sex);
        Assert.True(FormCellText.TryRead(FormCell.OfNumber(24.5), Column("expectedStayMonths"), "预计居住月数", false, out var months, out _));
        Assert.Equal("24.5", months);
        Assert.True(FormCellText.TryRead(FormCell.OfBoolean(true), Column("moveRegistration"), "户籍随迁", false, out var flag, out _));
        Assert.Equal("true", flag);
    }
}
