namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The rates and registration lags of the city's past (see docs/synthetic-city.md, "History"). Rates are
/// integers — per mille per year, or per million — so that every draw stays exact on every machine.
/// </summary>
internal static class HistoryRates
{
    /// <summary>Registered family households that moved their hukou into the city during the period (户籍迁入), ‰ per year.</summary>
    public const int MovedInPerMilleYear = 12;

    /// <summary>Registered family households that moved their hukou out of the city (户籍迁出), ‰ per year.</summary>
    public const int MovedOutPerMilleYear = 5;

    /// <summary>Family households that moved to another community of the city, ‰ per year (at most one move each).</summary>
    public const int MovedWithinCityPerMilleYear = 35;

    /// <summary>
    /// Migrants who lived here during the period and left before the reference date: former households of
    /// its shape per thousand living migrant family households, former mates per thousand dormitory members.
    /// Enough that departures balance arrivals and the number of migrants stays about flat.
    /// </summary>
    public const int DepartedPerThousandMigrants = 1270;

    /// <summary>How long a migrant who has left had stayed, in months.</summary>
    public static readonly Weighted<(int Min, int Max)> StayMonths = Weighted.Of(
        ((1, 11), 30), ((12, 35), 30), ((36, 59), 18), ((60, 119), 16), ((120, 240), 6));

    // Multiplies the schedule below so that the crude death rate of the registered population comes to
    // about 7.9 ‰ (census bulletin: 40,020 registered deaths in 2020, 7.91 ‰).
    private const int MortalityScalePercent = 130;

    // Deaths per 10,000 people of that age per year, by five-year band (age 0 on its own): a life table of a
    // city with a life expectancy of about 83 years (Wuxi 2020: 83.2) — low in childhood and youth, then
    // doubling roughly every seven to eight years, so that most deaths fall after 65.
    private static readonly int[] MortalityPerTenThousandByFive =
    [
        2, 1, 1, 3, 4, 5, 6, 8, 11, 16, 24, 36, 55, 95, 170, 300, 560, 1000, 1700, 2700, 3800,
    ];

    /// <summary>Annual probability of death at <paramref name="age"/>, per million.</summary>
    public static int MortalityPerMillion(int age)
    {
        var perTenThousand = age == 0 ? 30 : MortalityPerTenThousandByFive[Math.Clamp(age, 0, 104) / 5];
        return perTenThousand * MortalityScalePercent;
    }

    // Days from the event to its entry in the register, by change type: births within the month the law allows,
    // deaths within days, moves within weeks, migrants' residence registrations often weeks late and their
    // departures noticed months late.
    private static readonly Dictionary<string, Weighted<(int Min, int Max)>> Lags = new(StringComparer.Ordinal)
    {
        ["born"] = Weighted.Of(((1, 6), 15), ((7, 20), 40), ((21, 35), 30), ((36, 90), 15)),
        ["died"] = Weighted.Of(((0, 2), 30), ((3, 7), 45), ((8, 30), 25)),
        ["moved-within-city"] = Weighted.Of(((0, 6), 40), ((7, 30), 45), ((31, 90), 15)),
        ["moved-in"] = Weighted.Of(((0, 2), 70), ((3, 14), 30)),
        ["moved-out"] = Weighted.Of(((0, 2), 60), ((3, 14), 40)),
        ["migrant-arrived"] = Weighted.Of(((3, 14), 25), ((15, 30), 30), ((31, 90), 30), ((91, 180), 15)),
        ["migrant-departed"] = Weighted.Of(((7, 30), 30), ((31, 90), 35), ((91, 180), 25), ((181, 365), 10)),
    };

    /// <summary>The registration lag of an event of <paramref name="changeType"/>, in days.</summary>
    public static int LagDays(CityRandom random, string changeType)
    {
        var (min, max) = Lags[changeType].Sample(random);
        return random.Between(min, max);
    }

    /// <summary>Where people who left the city went, besides home.</summary>
    public static readonly Weighted<string> Destinations = Weighted.Of(
        ("江苏省苏州市", 25), ("上海市", 22), ("江苏省南京市", 12), ("江苏省常州市", 10), ("浙江省杭州市", 8), ("浙江省宁波市", 4),
        ("广东省深圳市", 5), ("北京市", 4), ("江苏省南通市", 4), ("安徽省合肥市", 3), ("境外", 3));
}
