using System.Globalization;

namespace PopInfo.Domain.Monitoring;

/// <summary>The range of days a facts source is asked for: <c>from</c> and <c>to</c> (yyyy-MM-dd, both included), at most <see cref="Assessment.MaxDays"/> days.</summary>
public static class FactsRange
{
    /// <summary>The rules the range breaks, as (field, rule, message); none when it is good, with the parsed days.</summary>
    public static IReadOnlyList<(string Field, string Rule, string Message)> Check(string? from, string? to, out DateOnly first, out DateOnly last)
    {
        var broken = new List<(string, string, string)>();
        var fromOk = TryParse(from, out first);
        var toOk = TryParse(to, out last);
        if (!fromOk)
        {
            broken.Add(("from", from is null ? "required" : "date.format", "from is the first day, written yyyy-MM-dd."));
        }

        if (!toOk)
        {
            broken.Add(("to", to is null ? "required" : "date.format", "to is the last day, written yyyy-MM-dd."));
        }

        if (fromOk && toOk && last < first)
        {
            broken.Add(("to", "range.order", "to is on or after from."));
        }
        else if (fromOk && toOk && last.DayNumber - first.DayNumber + 1 > Assessment.MaxDays)
        {
            broken.Add(("to", "range.max-days", $"A range holds at most {Assessment.MaxDays} days."));
        }

        return broken;
    }

    public static bool TryParse(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
