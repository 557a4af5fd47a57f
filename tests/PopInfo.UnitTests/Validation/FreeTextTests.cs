using PopInfo.Domain.Validation;

namespace PopInfo.UnitTests.Validation;

public sealed class FreeTextTests
{
    public static TheoryData<string> Text => new()
    {
        "",
        "张三",
        "阿依古丽·买买提",
        "Jean-Luc O'Brien",
        "江苏省无锡市梁溪区崇安寺街道 12 号 3 单元 401 室",
        "Zoë, naïve café",                   // precomposed letters
        "Zoe\u0308",                         // a combining mark
        "\u00A0non-breaking space",
        "家\U0001F3E0 emoji",                 // a surrogate pair
        "𠮷野家",                             // a supplementary CJK ideograph
        "\u200E left-to-right mark \u200F",  // marks, not embeddings or overrides
        "zero\u200Dwidth joiner",
        "\uFFFD replacement character",
        "\uFDCF and \uFDF0 around the non-character block",
        "\U0001FFFD last character before a plane's non-characters",
    };

    [Theory]
    [MemberData(nameof(Text))]
    public void Text_is_text(string text)
    {
        Assert.Null(FreeText.FirstOffence(text));
        Assert.Null(FreeText.FirstOffence(text, multiLine: true));
    }

    [Fact]
    public void Null_is_no_offence() => Assert.Null(FreeText.FirstOffence(null));

    public static TheoryData<int> C0ExceptTabAndLineBreaks =>
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r'))];

    [Theory]
    [MemberData(nameof(C0ExceptTabAndLineBreaks))]
    public void A_C0_control_is_refused_in_every_field(int control)
    {
        var text = $"ab{(char)control}cd";
        Assert.Equal(new TextOffence(FreeText.ControlCharacter, 2, control), FreeText.FirstOffence(text));
        Assert.Equal(new TextOffence(FreeText.ControlCharacter, 2, control), FreeText.FirstOffence(text, multiLine: true));
    }

    [Theory]
    [InlineData('\t')]
    [InlineData('\n')]
    [InlineData('\r')]
    public void Tab_and_line_breaks_are_refused_in_a_single_line_field_only(char c)
    {
        var text = $"first{c}second";
        Assert.Equal(new TextOffence(FreeText.ControlCharacter, 5, c), FreeText.FirstOffence(text));
        Assert.Null(FreeText.FirstOffence(text, multiLine: true));
        Assert.Null(FreeText.FirstOffence("line one\r\n\tline two", multiLine: true));
    }

    public static TheoryData<int> DelAndC1 => [0x7F, .. Enumerable.Range(0x80, 0x20)];

    [Theory]
    [MemberData(nameof(DelAndC1))]
    public void Delete_and_the_C1_controls_are_refused(int control)
    {
        Assert.Equal(new TextOffence(FreeText.ControlCharacter, 1, control), FreeText.FirstOffence($"x{(char)control}", multiLine: true));
    }

    public static TheoryData<int> BidiFormatting => [.. Enumerable.Range(0x202A, 5), .. Enumerable.Range(0x2066, 4)];

    [Theory]
    [MemberData(nameof(BidiFormatting))]
    public void Bidirectional_embeddings_overrides_and_isolates_are_refused(int codePoint)
    {
        Assert.Equal(new TextOffence(FreeText.BidiOverride, 3, codePoint), FreeText.FirstOffence($"abc{(char)codePoint}cba"));
    }

    [Theory]
    [InlineData(0x2029)]
    [InlineData(0x206A)]
    [InlineData(0x2065)]
    [InlineData(0x202F)]
    public void Characters_next_to_the_bidi_ranges_are_text(int codePoint) =>
        Assert.Null(FreeText.FirstOffence($"a{(char)codePoint}b"));

    [Fact]
    public void A_high_surrogate_without_its_low_half_is_refused()
    {
        Assert.Equal(new TextOffence(FreeText.LoneSurrogate, 2, 0xD83C), FreeText.FirstOffence("ab\uD83C"));
        Assert.Equal(new TextOffence(FreeText.LoneSurrogate, 2, 0xD83C), FreeText.FirstOffence("ab\uD83Ccd"));
        Assert.Equal(new TextOffence(FreeText.LoneSurrogate, 0, 0xD83C), FreeText.FirstOffence("\uD83C\uD83C\uDFE0"));
    }

    [Fact]
    public void A_low_surrogate_without_its_high_half_is_refused()
    {
        Assert.Equal(new TextOffence(FreeText.LoneSurrogate, 0, 0xDFE0), FreeText.FirstOffence("\uDFE0ab"));
        Assert.Equal(new TextOffence(FreeText.LoneSurrogate, 3, 0xDFE0), FreeText.FirstOffence("\uD83C\uDFE0a\uDFE0"));
    }

    public static TheoryData<int> Noncharacters =>
    [
        .. Enumerable.Range(0xFDD0, 32),
        .. Enumerable.Range(0, 17).SelectMany(plane => new[] { (plane << 16) | 0xFFFE, (plane << 16) | 0xFFFF }),
    ];

    [Theory]
    [MemberData(nameof(Noncharacters))]
    public void Noncharacters_are_refused(int codePoint)
    {
        var text = "名" + char.ConvertFromUtf32(codePoint) + "字";
        Assert.Equal(new TextOffence(FreeText.Noncharacter, 1, codePoint), FreeText.FirstOffence(text));
    }

    [Fact]
    public void The_first_offence_is_reported_with_its_UTF16_index()
    {
        // Two supplementary characters (two UTF-16 units each) before a bidi override and a NUL.
        var offence = FreeText.FirstOffence("\U0001F3E0𠮷\u202E\0");
        Assert.Equal(new TextOffence(FreeText.BidiOverride, 4, 0x202E), offence);
    }

    [Fact]
    public void The_message_names_the_code_point_and_position_never_the_character()
    {
        var offence = FreeText.FirstOffence("地址\0");
        Assert.NotNull(offence);
        Assert.Equal("U+0000", offence.CodePointText);
        Assert.Contains("U+0000", offence.Message);
        Assert.Contains("position 3", offence.Message);
        Assert.DoesNotContain('\0', offence.Message);
        Assert.Equal("U+10FFFF", FreeText.FirstOffence(char.ConvertFromUtf32(0x10FFFF))!.CodePointText);
        Assert.Contains("single-line", FreeText.FirstOffence("a\nb")!.Message);
    }

    [Fact]
    public void Every_rule_name_is_listed() =>
        Assert.Equal(["text.control-character", "text.bidi-override", "text.lone-surrogate", "text.noncharacter"], FreeText.Rules);
}
