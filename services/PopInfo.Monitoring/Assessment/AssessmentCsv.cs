using System.Globalization;
using System.Text;
using PopInfo.Domain.Export;
using PopInfo.Domain.Monitoring;

namespace PopInfo.Monitoring.Assessment;

/// <summary>
/// The timeliness and assessment answers as CSV for spreadsheets: UTF-8 with a byte-order mark, every text cell through
/// the platform's CSV rule (<see cref="CsvCell.Field"/>: a leading <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> neutralised),
/// every figure of the JSON answer in a column; the last line names the period, the weights and the stages.
/// </summary>
public static class AssessmentCsv
{
    public static byte[] Timeliness(TimelinessReport report)
    {
        var csv = new StringBuilder();
        Line(csv, "level", "code", "name", "street", "forms", "late", "submittedSameDay", "submittedLater", "drafts", "pending", "accepted", "rejected",
            "withdrawn", "cleared", "closedAt", "clearedByDeadline", "communities", "notCleared");
        foreach (var c in report.Communities)
        {
            Line(csv, "community", c.CommunityCode, c.CommunityName, c.StreetCode, N(c.Forms), N(c.Late), N(c.SubmittedSameDay), N(c.SubmittedLater),
                N(c.Drafts), N(c.Pending), N(c.Accepted), N(c.Rejected), N(c.Withdrawn), B(c.Cleared), c.ClosedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                B(c.ClearedByDeadline), "", "");
        }

        foreach (var s in report.Streets)
        {
            Line(csv, "street", s.StreetCode, s.StreetName, s.StreetCode, N(s.Forms), N(s.Late), "", "", N(s.Drafts), N(s.Pending), "", N(s.Rejected), "",
                B(s.NotCleared == 0), "", N(s.ClearedByDeadline), N(s.Communities), N(s.NotCleared));
        }

        Line(csv, $"day {report.Day}; deadline {report.Deadline:O}");
        return Bytes(csv);
    }

    public static byte[] Communities(AssessmentReport<CommunityFigures> report)
    {
        var csv = new StringBuilder();
        Line(csv, "rank", "code", "name", "street", "assessed", "timeliness", "completeness", "score", "stage", "stageCode",
            "days", "daysWithForms", "daysClearedByDeadline", "forms", "formsDue", "submittedSameDay", "late", "answered", "acceptedFirstTime",
            "accepted", "rejected", "rejectedEver", "pending", "drafts");
        foreach (var l in report.Items)
        {
            var f = l.Figures;
            Line(csv, [.. Head(l), N(f.Days), N(f.DaysWithForms), N(f.DaysClearedByDeadline), N(f.Forms), N(f.FormsDue), N(f.SubmittedSameDay), N(f.Late),
                N(f.Answered), N(f.AcceptedFirstTime), N(f.Accepted), N(f.Rejected), N(f.RejectedEver), N(f.Pending), N(f.Drafts)], withAcknowledgement: false);
        }

        Footer(csv, report.Period, report.From, report.To, report.Weights, report.Stages);
        return Bytes(csv);
    }

    public static byte[] Departments(AssessmentReport<DepartmentFigures> report)
    {
        var csv = new StringBuilder();
        Line(csv, "rank", "code", "name", "parent", "assessed", "timeliness", "completeness", "acknowledgement", "score", "stage", "stageCode",
            "received", "dated", "onTime", "decided", "applied", "rejected", "refused", "held", "dismissed", "inProgress",
            "delivered", "acknowledged", "acknowledgedInTime", "acknowledgedUntimed");
        foreach (var l in report.Items)
        {
            var f = l.Figures;
            Line(csv, [.. Head(l), N(f.Received), N(f.Dated), N(f.OnTime), N(f.Decided), N(f.Applied), N(f.Rejected), N(f.Refused), N(f.Held),
                N(f.Dismissed), N(f.InProgress), N(f.Delivered), N(f.Acknowledged), N(f.AcknowledgedInTime), N(f.AcknowledgedUntimed)], withAcknowledgement: true);
        }

        Footer(csv, report.Period, report.From, report.To, report.Weights, report.Stages);
        return Bytes(csv);
    }

    private static List<string> Head<T>(AssessmentLine<T> l) =>
    [
        l.Rank?.ToString(CultureInfo.InvariantCulture) ?? "", l.Code, l.Name, l.Parent ?? "", B(l.Assessed), D(l.Timeliness), D(l.Completeness),
        D(l.Acknowledgement), D(l.Score), l.Stage?.Label ?? "not assessed", l.Stage?.Code ?? "",
    ];

    private static void Line(StringBuilder csv, List<string> cells, bool withAcknowledgement)
    {
        if (!withAcknowledgement)
        {
            cells.RemoveAt(7);
        }

        Line(csv, [.. cells]);
    }

    private static void Footer(StringBuilder csv, string period, string from, string to, Weights w, IReadOnlyList<Stage> stages) =>
        Line(csv, $"period {period} ({from} to {to}); weights timeliness {w.Timeliness}, completeness {w.Completeness}, acknowledgement {w.Acknowledgement}; stages "
            + string.Join(", ", stages.Select(s => $"{s.Label} {s.From.ToString(CultureInfo.InvariantCulture)}" + (s.Below is { } b ? $"–<{b.ToString(CultureInfo.InvariantCulture)}" : "–100"))));

    private static void Line(StringBuilder csv, params string[] cells) => csv.AppendJoin(',', cells.Select(CsvCell.Field)).Append("\r\n");

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "";

    private static string B(bool value) => value ? "true" : "false";

    private static byte[] Bytes(StringBuilder csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
}
