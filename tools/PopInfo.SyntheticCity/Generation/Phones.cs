namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Mainland mobile numbers: a real three-digit prefix weighted by the carriers' market shares (China
/// Mobile's 13x/15x/18x blocks most), then eight random digits. Uniqueness is not required.
/// </summary>
internal static class Phones
{
    private static readonly Weighted<string> Prefixes = Weighted.Of(
        ("134", 4), ("135", 8), ("136", 8), ("137", 8), ("138", 9), ("139", 9), ("150", 6), ("151", 6), ("152", 5),
        ("157", 3), ("158", 6), ("159", 6), ("178", 3), ("182", 4), ("183", 3), ("187", 5), ("188", 4), ("198", 3),
        ("130", 4), ("131", 4), ("132", 3), ("155", 4), ("156", 4), ("166", 2), ("175", 2), ("176", 2), ("185", 3), ("186", 4),
        ("133", 3), ("153", 3), ("173", 2), ("177", 2), ("180", 3), ("181", 3), ("189", 4), ("191", 2), ("199", 3));

    /// <summary>Share (‰) of people at this age who have a mobile number on record; none at 12 or under.</summary>
    public static int HoldersPerMille(int age) => age switch
    {
        <= 12 => 0,
        < 18 => 600,
        < 65 => 890,
        < 80 => 760,
        _ => 450,
    };

    public static string? For(CityRandom random, int age)
    {
        if (!random.PerMille(HoldersPerMille(age)))
        {
            return null;
        }

        var prefix = Prefixes.Sample(random);
        var digits = random.Next(100_000_000);
        return string.Create(11, (prefix, digits), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            var value = state.digits;
            for (var i = 10; i >= 3; i--)
            {
                span[i] = (char)('0' + (value % 10));
                value /= 10;
            }
        });
    }
}
