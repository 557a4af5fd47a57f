namespace PopInfo.Domain.Statistics;

/// <summary>The demographic indicators planners read, as the census defines them. Null when the denominator is zero.</summary>
public static class Indicators
{
    /// <summary>Share of a part in a whole, in per cent.</summary>
    public static double? Percent(double part, double whole) => whole > 0 ? 100.0 * part / whole : null;

    /// <summary>Child dependency ratio: people aged 0–14 per 100 aged 15–64.</summary>
    public static double? ChildDependency(double aged0To14, double aged15To64) => Percent(aged0To14, aged15To64);

    /// <summary>Old-age dependency ratio: people aged 65+ per 100 aged 15–64.</summary>
    public static double? OldAgeDependency(double aged65Plus, double aged15To64) => Percent(aged65Plus, aged15To64);

    /// <summary>Total dependency ratio: people aged 0–14 and 65+ per 100 aged 15–64.</summary>
    public static double? TotalDependency(double aged0To14, double aged65Plus, double aged15To64) => Percent(aged0To14 + aged65Plus, aged15To64);

    /// <summary>Sex ratio: men per 100 women.</summary>
    public static double? SexRatio(double men, double women) => Percent(men, women);

    /// <summary>Average household size: people living in households per household.</summary>
    public static double? AverageHouseholdSize(double people, double households) => households > 0 ? people / households : null;

    /// <summary>A crude rate per thousand per year of events in a period of <paramref name="days"/> days over the mean population.</summary>
    public static double? PerThousandPerYear(double events, double population, int days) =>
        population > 0 && days > 0 ? 1000.0 * events / population * 365.25 / days : null;
}
