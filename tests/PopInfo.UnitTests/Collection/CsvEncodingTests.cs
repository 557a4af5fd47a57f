using System.Text;
using PopInfo.Collection.Import;

namespace PopInfo.UnitTests.Collection;

/// <summary>The CSV import's encodings: a byte order mark, then strict UTF-8, then strict GB18030 (GBK is its subset).</summary>
public class CsvEncodingTests
{
    private const string DeathId = "320211194503120171";
    private const string Text = $"表单类型,公民身份号码,死亡日期\n死亡,{DeathId},2025-10-02\n";

    /// <summary>GBK (code page 936), as a Chinese Windows spreadsheet saves plain "CSV (逗号分隔)".</summary>
    private static byte[] Gbk(string text) => CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes(text);

    private static string Decoded(CsvText text) => Encoding.UTF8.GetString(text.Utf8.Span);

    [Fact]
    public void GBK_bytes_of_Chinese_text_are_read_as_GB18030()
    {
        var bytes = Gbk(Text);
        Assert.False(System.Text.Unicode.Utf8.IsValid(bytes));

        var text = CsvEncoding.Detect(bytes);

        Assert.Null(text.Problem);
        Assert.Equal(CsvEncoding.Gb18030, text.Encoding);
        Assert.Equal(Text, Decoded(text));
    }

    [Fact]
    public void UTF8_without_a_byte_order_mark_is_UTF8_and_kept_as_it_is()
    {
        var bytes = Encoding.UTF8.GetBytes(Text);

        var text = CsvEncoding.Detect(bytes);

        Assert.Equal((CsvEncoding.Utf8, (string?)null), (text.Encoding, text.Problem));
        Assert.Equal(bytes, text.Utf8.ToArray());
    }

    [Fact]
    public void UTF8_with_a_byte_order_mark_is_named_so_and_the_mark_is_dropped()
    {
        var text = CsvEncoding.Detect(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Text)).ToArray());

        Assert.Equal(CsvEncoding.Utf8WithBom, text.Encoding);
        Assert.Equal(Text, Decoded(text));
    }

    [Fact]
    public void ASCII_only_is_UTF8()
    {
        var ascii = $"formType,idNumber\ndeath,{DeathId}\n";

        var text = CsvEncoding.Detect(Encoding.ASCII.GetBytes(ascii));

        Assert.Equal(CsvEncoding.Utf8, text.Encoding);
        Assert.Equal(ascii, Decoded(text));
    }

    [Theory]
    [InlineData(false, CsvEncoding.Utf16LittleEndian)]
    [InlineData(true, CsvEncoding.Utf16BigEndian)]
    public void UTF16_with_a_byte_order_mark_is_read(bool bigEndian, string name)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);

        var text = CsvEncoding.Detect(encoding.GetPreamble().Concat(encoding.GetBytes(Text)).ToArray());

        Assert.Equal(name, text.Encoding);
        Assert.Equal(Text, Decoded(text));
    }

    [Fact]
    public void A_file_invalid_as_both_UTF8_and_GB18030_is_refused_naming_the_first_line_neither_reads()
    {
        // Line 2 is GBK (valid GB18030, not UTF-8); line 3 holds 0xFF, which neither encoding has.
        byte[] bytes = [.. Encoding.ASCII.GetBytes("formType,idNumber\n"), .. Gbk("死亡"), .. ",1\nx"u8, 0xFF, .. "y\n"u8];

        var text = CsvEncoding.Detect(bytes);

        Assert.Null(text.Encoding);
        Assert.Equal("The file is neither UTF-8 nor GB18030 (GBK): line 3 holds bytes that are neither; save it as \"CSV UTF-8\".", text.Problem);
    }

    [Fact]
    public void A_byte_order_mark_that_lies_refuses_the_file()
    {
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. "formType\n"u8, .. Gbk("死亡")];

        var text = CsvEncoding.Detect(bytes);

        Assert.Null(text.Encoding);
        Assert.StartsWith("The file starts as UTF-8 (a byte order mark) but line 2 holds bytes that are not UTF-8", text.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reader_reads_a_GBK_file_into_the_same_rows_and_says_its_encoding()
    {
        var file = FormCsvReader.Read(Gbk(Text));

        Assert.True(file.IsClean);
        Assert.Equal(CsvEncoding.Gb18030, file.Encoding);
        var row = Assert.Single(file.Rows);
        Assert.Equal((2, "death", DeathId, "2025-10-02"), (row.Line, row.FormType, row.Data["idNumber"], row.Data["deathDate"]));
    }
}
