namespace PopInfo.Domain.Statistics;

/// <summary>Age in completed years, and the age classes planners use (census conventions).</summary>
public static class Ages
{
    /// <summary>The oldest single year shown; older people are counted in it ("100+").</summary>
    public const int OpenEnded = 100;

    /// <summary>Completed years on <paramref name="date"/> of someone born on <paramref name="birth"/> (−1 before birth). A 29 February birthday is reached on 1 March in common years.</summary>
    public static int On(DateOnly birth, DateOnly date)
    {
        if (date < birth)
        {
            return -1;
        }

        var age = date.Year - birth.Year;
        if (date.Month < birth.Month || (date.Month == birth.Month && date.Day < birth.Day))
        {
            age--;
        }

        return age;
    }

    /// <summary>
    /// The single year (0–100) on day number <paramref name="day"/> of everyone born on each day number from
    /// <paramref name="firstBirthDay"/> to <paramref name="day"/>: entry <c>b − firstBirthDay</c>. A look-up table, so that
    /// millions of people cost a look-up each rather than a calendar computation.
    /// </summary>
    public static byte[] SingleYearsByBirthDay(int firstBirthDay, int day)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBirthDay, day);
        var date = DateOnly.FromDayNumber(day);
        var ages = new byte[day - firstBirthDay + 1];
        for (var b = firstBirthDay; b <= day; b++)
        {
            ages[b - firstBirthDay] = (byte)SingleYear(On(DateOnly.FromDayNumber(b), date));
        }

        return ages;
    }

    /// <summary>Single year 0–100, 100 meaning 100 and over.</summary>
    public static int SingleYear(int age) => Math.Min(age, OpenEnded);

    /// <summary>Five-year band index: 0 = 0–4 … 19 = 95–99, 20 = 100+.</summary>
    public static int FiveYearBand(int age) => Math.Min(age / 5, OpenEnded / 5);

    /// <summary>The label of a five-year band.</summary>
    public static string FiveYearBandLabel(int band) => band >= OpenEnded / 5 ? $"{OpenEnded}+" : $"{band * 5}-{band * 5 + 4}";

    /// <summary>The planners' groups. 0–14, 15–59 and 60+ partition everyone; 65+ and 80+ are parts of 60+ (a person is in each group that holds their age).</summary>
    public static IReadOnlyList<string> PlannerGroups { get; } = ["0-14", "15-59", "60+", "65+", "80+"];

    /// <summary>Whether an age lies in planners' group <paramref name="group"/> (index into <see cref="PlannerGroups"/>).</summary>
    public static bool InPlannerGroup(int age, int group) => group switch
    {
        0 => age is >= 0 and <= 14,
        1 => age is >= 15 and <= 59,
        2 => age >= 60,
        3 => age >= 65,
        4 => age >= 80,
        _ => false,
    };
}
