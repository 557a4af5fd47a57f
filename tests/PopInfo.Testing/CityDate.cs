using System.Globalization;
using PopInfo.Domain.Statistics;

namespace PopInfo.Testing;

/// <summary>The city's date now (<see cref="ChinaTime"/>), as tests use it for births and events, and as the APIs write it.</summary>
public static class CityDate
{
    public static DateOnly Today => ChinaTime.Today(TimeProvider.System);

    /// <summary>yyyy-MM-dd.</summary>
    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
