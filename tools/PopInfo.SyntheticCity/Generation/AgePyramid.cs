namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The shape of Wuxi's population by single year of age (2020 census: 0–14 13.7 %, 15–59 69.7 %,
/// 60+ 16.6 %, 65+ 12.0 %; the 1962–75 birth cohorts and the young migrants aged 25–40 form the two
/// bulges). Household templates draw each role's age from this shape cut to the role's range, so a
/// 40-year-old head is likelier than a 55-year-old one in the proportion the city has them.
/// </summary>
internal sealed class AgePyramid
{
    public const int MaxAge = 104;

    // Weight per single year in each five-year band 0–4, 5–9, …, 100–104 (‱ of the band / 5).
    private static readonly int[] BandWeights =
        [86, 100, 88, 82, 118, 150, 194, 172, 156, 172, 186, 164, 92, 86, 62, 40, 28, 16, 6, 2, 1];

    // Children's ages 0–17 by single year (at the default reference date 2026: born 2008–2025). The
    // census band of the 0–4 (born 2016–2020) does not fit the children of 2026: the 2021–2025 cohorts
    // are small (China's births fell from 17–18 million in 2016–17 to 12.0 in 2020, then 10.6, 9.6, 9.0,
    // 9.5 and about 7.9 million), so a year of age under five weighs a third of one at 6–14. Children's
    // ages are drawn from these (with their mothers', see Kinship), and the weights are set by measuring
    // the generated city: about 0.6 % of it under one (registered births 6.5–7.5 ‰ a year, Wuxi 7.75 ‰
    // in 2020), 0–14 about 13 % (census 13.7 % in 2020), and no cliff from 14 to the census's small 15–19.
    // Adults are never drawn under 18, so these weigh only in children's ages.
    private static readonly int[] ChildWeights = [85, 96, 94, 100, 130, 185, 265, 270, 280, 290, 280, 290, 295, 300, 305, 235, 170, 115];

    private readonly Dictionary<(int, int), Weighted<int>> _ranges = [];

    /// <summary>An age in [min, max], in proportion to the city's pyramid.</summary>
    public int Sample(CityRandom random, int min, int max)
    {
        if (!_ranges.TryGetValue((min, max), out var table))
        {
            table = Build(min, max);
            _ranges[(min, max)] = table;
        }

        return table.Sample(random);
    }

    public static int WeightOf(int age) => age < ChildWeights.Length ? ChildWeights[age] : BandWeights[Math.Min(age, MaxAge) / 5];

    private static Weighted<int> Build(int min, int max)
    {
        if (min < 0 || max > MaxAge || min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(min), $"The age range {min}–{max} is outside 0–{MaxAge}.");
        }

        var entries = new (int, int)[max - min + 1];
        for (var age = min; age <= max; age++)
        {
            entries[age - min] = (age, WeightOf(age));
        }

        return new Weighted<int>(entries);
    }
}
