using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using PopInfo.Domain.Statistics;

namespace PopInfo.Collection.Paper;

/// <summary>A printed page as served: its HTML and the Content-Security-Policy that admits exactly its one inline style.</summary>
public sealed record PrintDocument(string Html, string ContentSecurityPolicy);

/// <summary>
/// What the printed pages share: one self-contained HTML document (no script, no file fetched: its only style inline, admitted
/// by its hash), every value from the database HTML-encoded, times in China Standard Time. <see cref="PaperPages"/> answers it.
/// </summary>
public static class PrintHtml
{
    // Every Unicode range is safe to leave as it is (Chinese stays readable); only what HTML treats specially is encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly Lazy<string> Css = new(() =>
    {
        using var stream = typeof(PrintHtml).Assembly.GetManifestResourceStream("paper/print.css")
            ?? throw new InvalidOperationException("paper/print.css is not embedded in the collection assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>Text as HTML: &lt;, &gt;, &amp;, quotes and the like encoded; null as an empty string.</summary>
    public static string E(string? text) => text is null ? "" : Encoder.Encode(text);

    /// <summary>A label in both languages: Chinese, then English in smaller type.</summary>
    public static string L(string zh, string en) => $"{E(zh)} <span class=\"en\">{E(en)}</span>";

    /// <summary>An instant as the city's wall-clock time (China Standard Time, UTC+8), to the second.</summary>
    public static string CityTime(DateTimeOffset at) =>
        at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>An instant as the city's time of day (the day is printed once, above).</summary>
    public static string CityClock(DateTimeOffset at) =>
        at.ToOffset(ChinaTime.Offset).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// The whole document: <paramref name="pageRule"/> (the CSS <c>@page</c> rule: paper size and margins) and the shared print
    /// style inline, the body as given (already encoded). The policy names the style's SHA-256, so nothing else may style or run.
    /// </summary>
    public static PrintDocument Document(string title, string pageRule, string bodyClass, string body)
    {
        var style = pageRule + "\n" + Css.Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n")
            .Append("<style>").Append(style).Append("</style>\n</head>\n")
            .Append("<body class=\"").Append(bodyClass).Append("\">\n").Append(body)
            .Append("<p class=\"screen-only\">").Append(L("按 Ctrl+P 打印", "Press Ctrl+P to print")).Append("</p>\n")
            .Append("</body>\n</html>\n")
            .ToString();
        return new(html, $"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    }
}
