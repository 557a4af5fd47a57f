using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PopInfo.Collection.Days;
using PopInfo.Collection.Paper;

namespace PopInfo.UnitTests.Collection;

/// <summary>The printed pages as rendered: every value encoded, the policy's hash the style's own, the city's time, both languages.</summary>
public sealed class PaperPagesTests
{
    private const string Hostile = "<script>alert(\"x\")</script>&";

    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_form_type_has_its_english_name()
    {
        Assert.True(PaperText.CoversEveryFormType);
        Assert.Equal(("户籍迁入", "Move in"), PaperText.FormType("move-in"));
        Assert.Equal(("retired-type", "retired-type"), PaperText.FormType("retired-type"));
    }

    [Fact]
    public void A_receipt_encodes_every_value_and_its_policy_admits_exactly_its_style()
    {
        var receipt = new Receipt(Guid.Parse("0193a5a4-7d4c-7b6e-9c1f-3a2b1c0d9e8f"), "birth", Hostile, "320205**********13", 1, 42, Noon.AddMinutes(-1), Noon,
            "2026-12-06", Late: false, Hostile, "320205001001", Hostile, "东亭街道", Hostile, Noon);

        var page = ReceiptPage.Render(receipt);

        Assert.DoesNotContain("<script", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page.Html, StringComparison.Ordinal);
        Assert.Contains("12:00:00", page.Html, StringComparison.Ordinal);
        Assert.Contains("@page { size: A5 portrait", page.Html, StringComparison.Ordinal);
        AssertPolicyAdmitsOnlyTheStyle(page);
    }

    [Fact]
    public void A_day_sheet_encodes_every_value_dates_times_of_other_days_and_leaves_lines_to_sign()
    {
        var totals = new FormCounts(2, 1, 0, 1, 0, 0, 1, 1);
        var report = new CommunityDayReport("320205001001", Hostile, "2026-12-06", false, null, null, totals, [], [Guid.NewGuid()]);
        var lines = new[]
        {
            new DaySheetLine(1, "death", "draft", true, Hostile, "320205**********13", Noon.AddDays(-1), null, null, null, Hostile),
            new DaySheetLine(2, "birth", "accepted", false, "李**", "320205**********21", Noon, Noon.AddMinutes(5), 1, 7, "collector"),
        };

        var page = DaySheetPage.Render(new DaySheet(report, "320205001", "东亭街道", lines, Hostile, Noon));

        Assert.DoesNotContain("<script", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page.Html, StringComparison.Ordinal);
        // The late form was entered the evening before: its date is printed with the time; the day's own only the time.
        Assert.Contains(">12-05 12:00</td>", page.Html, StringComparison.Ordinal);
        Assert.Contains(">12:05</td>", page.Html, StringComparison.Ordinal);
        Assert.Contains("1 / 7", page.Html, StringComparison.Ordinal);
        Assert.Contains("thead", page.Html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(page.Html, "class=\"signature\""));
        Assert.Contains("@page { size: A4 portrait", page.Html, StringComparison.Ordinal);
        AssertPolicyAdmitsOnlyTheStyle(page);
    }

    [Fact]
    public void A_day_without_forms_says_so()
    {
        var report = new CommunityDayReport("320205001001", "春华社区", "2026-12-06", true, Noon, "collector", new FormCounts(0, 0, 0, 0, 0, 0, 0, 0), [], []);

        var page = DaySheetPage.Render(new DaySheet(report, "320205001", "东亭街道", [], "collector", Noon));

        Assert.Contains("当日没有表单", page.Html, StringComparison.Ordinal);
        Assert.Contains("当日已关闭", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table data-table=\"forms\">", page.Html, StringComparison.Ordinal);
    }

    private static void AssertPolicyAdmitsOnlyTheStyle(PrintDocument page)
    {
        var styles = Regex.Matches(page.Html, "<style>(.*?)</style>", RegexOptions.Singleline);
        Assert.Single(styles);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(styles[0].Groups[1].Value)));
        Assert.Equal($"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", page.ContentSecurityPolicy);
    }
}
