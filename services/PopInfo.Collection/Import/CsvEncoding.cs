using System.Buffers;
using System.Text;

namespace PopInfo.Collection.Import;

/// <summary>
/// What <see cref="CsvEncoding.Detect"/> made of a CSV file's bytes: the encoding it was read in (named as the
/// import's answer names it) and its text as UTF-8 without a byte order mark; or, when it is none of the encodings
/// offices save in, why not (a message naming the line).
/// </summary>
public sealed record CsvText(string? Encoding, ReadOnlyMemory<byte> Utf8, string? Problem)
{
    public static CsvText Refused(string problem) => new(null, ReadOnlyMemory<byte>.Empty, problem);
}

/// <summary>
/// Finds the encoding of a forms CSV file, in the order that cannot mistake one for another: a byte order mark
/// (UTF-8, UTF-16) says it outright; then text that is valid UTF-8 is UTF-8 (ASCII included: it is both); then
/// GB18030, which a Chinese Windows spreadsheet's plain "CSV (逗号分隔)" is (GBK, its subset). GB18030 decodes almost
/// any byte sequence, so it comes last and is decoded strictly: bytes it cannot decode refuse the file.
/// A pure function: the GB18030 decoder is taken from the code-pages provider itself, whether or not it is registered.
/// </summary>
public static class CsvEncoding
{
    public const string Utf8 = "utf-8";
    public const string Utf8WithBom = "utf-8-bom";
    public const string Utf16LittleEndian = "utf-16le";
    public const string Utf16BigEndian = "utf-16be";
    public const string Gb18030 = "gb18030";

    /// <summary>GB18030's code page; GBK (936) is its two-byte subset.</summary>
    private const int Gb18030CodePage = 54936;

    private const string SaveAs = "save it as \"CSV UTF-8\"";

    private static readonly Encoding StrictGb18030 = CodePagesEncodingProvider.Instance.GetEncoding(
        Gb18030CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("The code-pages provider has no GB18030.");

    private static readonly Encoding StrictUtf16LittleEndian = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>Reads the bytes as the encoding they are in; see the class.</summary>
    public static CsvText Detect(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            var rest = bytes[3..];
            return System.Text.Unicode.Utf8.IsValid(rest.Span)
                ? new CsvText(Utf8WithBom, rest, null)
                : CsvText.Refused($"The file starts as UTF-8 (a byte order mark) but line {LineAt(rest.Span, FirstInvalidUtf8(rest.Span))} holds bytes that are not UTF-8; {SaveAs} again.");
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return FromUtf16(bytes[2..], StrictUtf16LittleEndian, Utf16LittleEndian);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return FromUtf16(bytes[2..], StrictUtf16BigEndian, Utf16BigEndian);
        }

        if (System.Text.Unicode.Utf8.IsValid(span))
        {
            return new CsvText(Utf8, bytes, null);
        }

        try
        {
            return new CsvText(Gb18030, Encoding.UTF8.GetBytes(StrictGb18030.GetString(span)), null);
        }
        catch (DecoderFallbackException)
        {
            return CsvText.Refused(
                $"The file is neither UTF-8 nor GB18030 (GBK): line {FirstLineNotGb18030(span)} holds bytes that are neither; {SaveAs}.");
        }
    }

    private static CsvText FromUtf16(ReadOnlyMemory<byte> bytes, Encoding encoding, string name)
    {
        try
        {
            return new CsvText(name, Encoding.UTF8.GetBytes(encoding.GetString(bytes.Span)), null);
        }
        catch (DecoderFallbackException)
        {
            return CsvText.Refused($"The file starts as UTF-16 (a byte order mark) but is not valid UTF-16; {SaveAs}.");
        }
    }

    /// <summary>The offset of the first byte that does not begin valid UTF-8.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>
    /// The first line (1-based) GB18030 cannot decode. Lines are split at the byte 0x0A, which in GB18030 is never part
    /// of a multi-byte character (their later bytes are 0x30–0x39 and 0x40–0xFE), so each line decodes on its own.
    /// </summary>
    private static int FirstLineNotGb18030(ReadOnlySpan<byte> bytes)
    {
        var line = 1;
        foreach (var range in bytes.Split((byte)'\n'))
        {
            try
            {
                _ = StrictGb18030.GetCharCount(bytes[range]);
            }
            catch (DecoderFallbackException)
            {
                return line;
            }

            line++;
        }

        return line - 1;
    }

    private static int LineAt(ReadOnlySpan<byte> bytes, int offset) => bytes[..offset].Count((byte)'\n') + 1;
}
