namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Ages and marital states of related people: a wife is usually a little younger than her husband,
/// a mother is 20–40 when her child is born (most often 25–30), so every child is at least 18 years
/// younger than either parent. Tables are cached per mother's age; all draws are integer.
/// </summary>
internal sealed class Kinship(AgePyramid pyramid)
{
    public const int MinHusbandAge = 22;
    public const int MinWifeAge = 20;
    public const int MinMotherAgeAtBirth = 20;
    public const int MaxMotherAgeAtBirth = 40;

    // Husband's age minus wife's, -3 … +8.
    private static readonly Weighted<int> HusbandMinusWife = Weighted.Of(
        (-3, 3), (-2, 5), (-1, 8), (0, 12), (1, 15), (2, 18), (3, 15), (4, 10), (5, 7), (6, 4), (7, 2), (8, 1));

    // Mother's age at a birth, 20 … 40.
    private static readonly int[] BirthAgeWeights = [2, 3, 5, 7, 9, 11, 12, 12, 12, 11, 10, 8, 7, 6, 5, 4, 3, 2, 2, 1, 1];

    // The same weights as a table of years past 20, for drawing a parent's age from a child's.
    private static readonly Weighted<int> BirthAge = new([.. BirthAgeWeights.Select((w, i) => (i, w))]);

    private static readonly Weighted<int> SiblingGap = Weighted.Of((1, 6), (2, 14), (3, 16), (4, 14), (5, 12), (6, 10), (7, 8), (8, 7), (9, 7), (10, 6));

    private readonly Dictionary<(int, int, int), Weighted<int>> _childAges = [];

    /// <summary>The partner's age for a person of <paramref name="age"/>, within the legal marriage ages.</summary>
    public static int PartnerAge(CityRandom random, bool personIsMale, int age)
    {
        var gap = HusbandMinusWife.Sample(random);
        var partner = personIsMale ? age - gap : age + gap;
        return Math.Clamp(partner, personIsMale ? MinWifeAge : MinHusbandAge, AgePyramid.MaxAge);
    }

    /// <summary>
    /// A child's age for a mother of <paramref name="motherAge"/>, between <paramref name="min"/> and
    /// <paramref name="max"/> and never less than 20 years younger than her. Weighted by how old mothers
    /// are at births and by the size of the child's birth cohort.
    /// </summary>
    /// <returns>-1 when no age satisfies the limits.</returns>
    public int ChildAge(CityRandom random, int motherAge, int min, int max)
    {
        max = Math.Min(max, motherAge - MinMotherAgeAtBirth);
        min = Math.Max(min, Math.Max(0, motherAge - MaxMotherAgeAtBirth));
        if (min > max)
        {
            return -1;
        }

        if (!_childAges.TryGetValue((motherAge, min, max), out var table))
        {
            var entries = new (int, int)[max - min + 1];
            for (var child = min; child <= max; child++)
            {
                entries[child - min] = (child, BirthAgeWeights[motherAge - child - MinMotherAgeAtBirth] * AgePyramid.WeightOf(child));
            }

            table = new Weighted<int>(entries);
            _childAges[(motherAge, min, max)] = table;
        }

        return table.Sample(random);
    }

    /// <summary>A younger or older sibling's age, at least 20 years below the mother's.</summary>
    public static int SiblingAge(CityRandom random, int motherAge, int siblingAge)
    {
        var gap = SiblingGap.Sample(random);
        if (siblingAge - gap >= 0)
        {
            return siblingAge - gap;
        }

        return siblingAge + gap <= motherAge - MinMotherAgeAtBirth ? siblingAge + gap : siblingAge;
    }

    /// <summary>The age of the mother of someone aged <paramref name="childAge"/>, capped at 100.</summary>
    public static int MotherAge(CityRandom random, int childAge)
    {
        var age = childAge + MinMotherAgeAtBirth + BirthAge.Sample(random);
        return Math.Min(age, Math.Max(childAge + MinMotherAgeAtBirth, 100));
    }

    public int Pyramid(CityRandom random, int min, int max) => pyramid.Sample(random, min, max);
}
