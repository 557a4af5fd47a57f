using System.Globalization;
using System.Text;
using PopInfo.Collection.Days;
using static PopInfo.Collection.Paper.PrintHtml;

namespace PopInfo.Collection.Paper;

/// <summary>
/// The day sheet as a page: A4 portrait; a normal day fits one sheet, a long one goes on over more with the table's header
/// repeated on each (print.css). Signed by the collector and the supervisor.
/// </summary>
public static class DaySheetPage
{
    public const string PageRule = "@page { size: A4 portrait; margin: 12mm 12mm 14mm; }";

    public static PrintDocument Render(DaySheet sheet)
    {
        var report = sheet.Report;
        var t = report.Totals;
        var body = new StringBuilder()
            .Append("<h1>").Append(E("一日一清 日清单")).Append(" <span class=\"en\">Daily clearing sheet</span></h1>\n")
            .Append("<p class=\"meta\">")
            .Append(E(report.CommunityName)).Append(" <span class=\"mono\">").Append(E(report.CommunityCode)).Append("</span> · ")
            .Append(E(sheet.StreetName)).Append(" · ")
            .Append(L("业务日", "business day")).Append(" <strong data-field=\"day\">").Append(E(report.Day)).Append("</strong></p>\n");

        body.Append("<h2>").Append(L("统计", "Counts")).Append("</h2>\n<table data-table=\"counts\">\n<thead><tr>");
        foreach (var (zh, en) in CountHeads)
        {
            body.Append("<th class=\"n\">").Append(L(zh, en)).Append("</th>");
        }

        body.Append("</tr></thead>\n<tbody><tr>");
        foreach (var value in new[] { t.Forms, t.Submitted, t.Accepted, t.Rejected, t.Pending, t.Drafts, t.Withdrawn, t.Late })
        {
            body.Append("<td class=\"n\">").Append(value.ToString(CultureInfo.InvariantCulture)).Append("</td>");
        }

        body.Append("</tr></tbody>\n</table>\n");
        AppendState(body, report);
        AppendForms(body, sheet.Lines, report.Day);
        body.Append("<div class=\"signatures\">\n");
        foreach (var (zh, en) in new[] { ("采集员（签字）", "Collector"), ("督导（签字）", "Supervisor") })
        {
            body.Append("<p class=\"signature\">").Append(L(zh, en)).Append(" <span class=\"line\"></span> ")
                .Append(L("日期", "Date")).Append(" <span class=\"line short\"></span></p>\n");
        }

        body.Append("</div>\n<p class=\"note\">")
            .Append(L("身份号码和姓名只显示部分。", "Identity numbers and names are partly hidden."))
            .Append(' ').Append(L("打印", "Printed")).Append(' ').Append(E(CityTime(sheet.PrintedAt))).Append(' ').Append(E(sheet.PrintedBy))
            .Append("</p>\n");
        return Document($"日清单 Daily clearing sheet {report.CommunityCode} {report.Day}", PageRule, "day-sheet", body.ToString());
    }

    private static readonly (string Zh, string En)[] CountHeads =
    [
        ("表单", "Forms"), ("已提交", "Submitted"), ("已登记", "Accepted"), ("被退回", "Rejected"),
        ("等待登记", "Pending"), ("草稿", "Drafts"), ("已撤回", "Withdrawn"), ("迟交", "Late"),
    ];

    // Cleared (nothing left to do) and closed (signed off at the desk) are two facts; the sheet says both.
    private static void AppendState(StringBuilder body, CommunityDayReport report)
    {
        body.Append("<p class=\"state\" data-field=\"cleared\">")
            .Append(report.Cleared
                ? L("已清零：没有草稿、待回复或未处理的退回表单", "Cleared: no drafts, no pending forms, no rejections left")
                : L($"未清零：{report.Blocking.Count} 张表单待处理", $"Not cleared: {report.Blocking.Count} form(s) still to deal with"))
            .Append("<br><span data-field=\"closed\">")
            .Append(report.ClosedAt is { } closedAt
                ? L("当日已关闭", "Day closed") + " " + E(CityTime(closedAt)) + " " + E(report.ClosedBy)
                : L("当日未关闭", "Day not closed"))
            .Append("</span></p>\n");
    }

    // The time of day on the sheet's own day; with the date when another (a late form entered the day before, an answer the day after).
    private static string Clock(DateTimeOffset at, string day) =>
        CityTime(at).StartsWith(day, StringComparison.Ordinal) ? CityClock(at) : CityTime(at)[5..16];

    private static void AppendForms(StringBuilder body, IReadOnlyList<DaySheetLine> lines, string day)
    {
        body.Append("<h2>").Append(L("当日表单", "The day's forms")).Append("</h2>\n");
        if (lines.Count == 0)
        {
            body.Append("<p>").Append(L("当日没有表单。", "No forms this day.")).Append("</p>\n");
            return;
        }

        body.Append("<table data-table=\"forms\">\n<thead><tr>");
        foreach (var (zh, en) in new[]
                 {
                     ("序号", "No."), ("录入", "Entered"), ("事项", "Form"), ("人员", "Person"), ("状态", "State"),
                     ("登记版本/序号", "Version/sequence"), ("答复", "Answered"), ("采集员", "Collector"),
                 })
        {
            body.Append("<th>").Append(L(zh, en)).Append("</th>");
        }

        body.Append("</tr></thead>\n<tbody>\n");
        foreach (var line in lines)
        {
            var (typeZh, typeEn) = PaperText.FormType(line.FormType);
            var (stateZh, stateEn) = PaperText.State(line.State);
            body.Append("<tr>")
                .Append("<td class=\"n\">").Append(line.Number.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td class=\"one-line\">").Append(E(Clock(line.CreatedAt, day))).Append("</td>")
                .Append("<td class=\"one-line\">").Append(L(typeZh, typeEn)).Append(line.Late ? " " + L("迟交", "late") : "").Append("</td>")
                .Append("<td class=\"one-line\">").Append(E(line.MaskedName)).Append(line.MaskedName.Length > 0 ? " " : "")
                .Append("<span class=\"mono\">").Append(E(line.MaskedIdNumber)).Append("</span></td>")
                .Append("<td class=\"one-line\">").Append(L(stateZh, stateEn)).Append("</td>")
                .Append("<td class=\"one-line\">").Append(line.RegistryVersion is { } v ? E($"{v} / {line.RegistrySequence}") : "—").Append("</td>")
                .Append("<td class=\"one-line\">").Append(line.AnsweredAt is { } answered ? E(Clock(answered, day)) : "—").Append("</td>")
                .Append("<td class=\"wraps\">").Append(E(line.Collector)).Append("</td>")
                .Append("</tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
    }
}
