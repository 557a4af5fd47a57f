using System.Globalization;
using PopInfo.Domain.Statistics;

namespace PopInfo.Collection.Forms;

/// <summary>The desk's working day: a calendar date in the city (<see cref="ChinaTime"/>), written yyyy-MM-dd.</summary>
public static class BusinessDay
{
    public static string Today(TimeProvider clock) => Format(ChinaTime.Today(clock));

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryParse(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static string Next(string day) => Format(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1));
}
