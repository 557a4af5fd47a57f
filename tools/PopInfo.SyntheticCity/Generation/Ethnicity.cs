namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Ethnicity (GB 3304 codes). Registered residents of Wuxi are Han but for about 4 in 1,000 (mostly
/// Hui and Manchu); migrants carry the minorities of their home county (see <see cref="OriginCounties"/>),
/// and about 1 % of migrants from elsewhere belong to a minority as well.
/// </summary>
internal static class Ethnicity
{
    public const string Han = "01";

    private const int RegisteredMinorityPerMille = 4;
    private const int MigrantBackgroundMinorityPerMille = 10;

    private static readonly Weighted<string> Scattered = Weighted.Of(
        ("03", 30), ("11", 15), ("06", 10), ("15", 10), ("08", 8), ("02", 7), ("10", 5), ("09", 5), ("12", 5), ("07", 5));

    public static string ForRegistered(CityRandom random) =>
        random.PerMille(RegisteredMinorityPerMille) ? Scattered.Sample(random) : Han;

    public static string ForMigrant(CityRandom random, OriginCounty origin)
    {
        if (origin.MinorityCodes.Length > 0 && random.PerMille(origin.MinorityPerMille))
        {
            return origin.MinorityCodes[random.Next(origin.MinorityCodes.Length)];
        }

        return random.PerMille(MigrantBackgroundMinorityPerMille) ? Scattered.Sample(random) : Han;
    }
}
