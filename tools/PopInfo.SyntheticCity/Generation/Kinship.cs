namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Ages and marital states of related people: a wife is usually a little younger than her husband,
/// a mother is 20–40 when her child is born (most often 25–30), so every child is at least 18 years
/// younger than either parent. Where a household must have a child, the mother's (or a married
/// child's) age and the child's are drawn together, so that young women have children only as often as
/// they give birth. Tables are cached per set of limits; all draws are integer.
/// </summary>
internal sealed class Kinship(AgePyramid pyramid)
{
    public const int MinHusbandAge = 22;
    public const int MinWifeAge = 20;
    public const int MinMotherAgeAtBirth = 20;
    public const int MaxMotherAgeAtBirth = 40;

    // Husband's age minus wife's, -3 … +8.
    private static readonly (int Gap, int Weight)[] HusbandMinusWifeWeights =
        [(-3, 3), (-2, 5), (-1, 8), (0, 12), (1, 15), (2, 18), (3, 15), (4, 10), (5, 7), (6, 4), (7, 2), (8, 1)];

    private static readonly Weighted<int> HusbandMinusWife = new(HusbandMinusWifeWeights);

    // Mother's age at a birth, 20 … 40.
    private static readonly int[] BirthAgeWeights = [2, 3, 5, 7, 9, 11, 12, 12, 12, 11, 10, 8, 7, 6, 5, 4, 3, 2, 2, 1, 1];

    // The same weights as a table of years past 20, for drawing a parent's age from a child's.
    private static readonly Weighted<int> BirthAge = new([.. BirthAgeWeights.Select((w, i) => (i, w))]);

    private static readonly Weighted<int> SiblingGap = Weighted.Of((1, 6), (2, 14), (3, 16), (4, 14), (5, 12), (6, 10), (7, 8), (8, 7), (9, 7), (10, 6));

    private readonly Dictionary<(int, int, int), Weighted<int>> _childAges = [];
    private readonly Dictionary<(int, int, int, int), Weighted<(int, int)>> _motherAndChild = [];
    private readonly Dictionary<(int, int, int, bool, int), Weighted<(int, int)>> _marriedChildAges = [];

    /// <summary>The partner's age for a person of <paramref name="age"/>, within the legal marriage ages.</summary>
    public static int PartnerAge(CityRandom random, bool personIsMale, int age)
    {
        var gap = HusbandMinusWife.Sample(random);
        return Partner(personIsMale, age, gap);
    }

    private static int Partner(bool personIsMale, int age, int husbandMinusWife) =>
        Math.Clamp(personIsMale ? age - husbandMinusWife : age + husbandMinusWife, personIsMale ? MinWifeAge : MinHusbandAge, AgePyramid.MaxAge);

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

    /// <summary>
    /// A mother's and her child's ages drawn together: each pair weighted by how many women of her age
    /// there are, how often a woman has a child at the age between them, and the size of the child's
    /// birth cohort. Drawing the mother first and then a child for her would give every young woman of a
    /// family with children a baby (a mother of 21 can only have a child of 0 or 1), so the youngest
    /// ages would fill far beyond their birth cohorts; drawn together, young mothers are as rare as
    /// their births make them.
    /// </summary>
    public (int Mother, int Child) MotherAndChildAge(CityRandom random, int motherMin, int motherMax, int childMin, int childMax)
    {
        motherMin = Math.Max(motherMin, childMin + MinMotherAgeAtBirth);
        if (!_motherAndChild.TryGetValue((motherMin, motherMax, childMin, childMax), out var table))
        {
            var entries = new List<((int, int), int)>();
            for (var mother = motherMin; mother <= motherMax; mother++)
            {
                for (var child = Math.Max(childMin, mother - MaxMotherAgeAtBirth); child <= Math.Min(childMax, mother - MinMotherAgeAtBirth); child++)
                {
                    entries.Add(((mother, child), AgePyramid.WeightOf(mother) * BirthAgeWeights[mother - child - MinMotherAgeAtBirth] * AgePyramid.WeightOf(child)));
                }
            }

            if (entries.Count == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(motherMin), $"No mother of {motherMin}–{motherMax} has a child of {childMin}–{childMax}.");
            }

            table = new Weighted<(int, int)>(entries);
            _motherAndChild[(motherMin, motherMax, childMin, childMax)] = table;
        }

        return table.Sample(random);
    }

    /// <summary>
    /// The ages of a grown-up child of a mother of <paramref name="motherAge"/> (between <paramref name="min"/>
    /// and <paramref name="max"/>) and of their spouse, for a couple who live with their own child (the
    /// household's grandchild, 0 to <paramref name="grandchildMax"/>): as <see cref="ChildAge"/> and
    /// <see cref="PartnerAge"/>, and weighted as well by how likely the younger of the two is to have a
    /// child of that age. Otherwise every married child of 20–25 would bring a baby.
    /// </summary>
    /// <returns>(-1, -1) when no age satisfies the limits.</returns>
    public (int Child, int Partner) MarriedChildAges(CityRandom random, int motherAge, int min, int max, bool childIsMale, int grandchildMax)
    {
        max = Math.Min(max, motherAge - MinMotherAgeAtBirth);
        min = Math.Max(min, Math.Max(0, motherAge - MaxMotherAgeAtBirth));
        if (min > max)
        {
            return (-1, -1);
        }

        if (!_marriedChildAges.TryGetValue((motherAge, min, max, childIsMale, grandchildMax), out var table))
        {
            var entries = new List<((int, int) Ages, long Weight)>();
            for (var child = min; child <= max; child++)
            {
                foreach (var (gap, gapWeight) in HusbandMinusWifeWeights)
                {
                    var partner = Partner(childIsMale, child, gap);
                    var younger = Math.Min(child, partner);
                    long childsChildren = 0;
                    for (var grandchild = Math.Max(0, younger - MaxMotherAgeAtBirth); grandchild <= Math.Min(grandchildMax, younger - MinMotherAgeAtBirth); grandchild++)
                    {
                        childsChildren += BirthAgeWeights[younger - grandchild - MinMotherAgeAtBirth] * AgePyramid.WeightOf(grandchild);
                    }

                    entries.Add(((child, partner), (long)BirthAgeWeights[motherAge - child - MinMotherAgeAtBirth] * AgePyramid.WeightOf(child) * gapWeight * childsChildren));
                }
            }

            // Scaled down as one so that the total fits an int (integer division: the same on every machine).
            var scale = (entries.Sum(e => e.Weight) / (1L << 30)) + 1;
            table = new Weighted<(int, int)>([.. entries.Select(e => (e.Ages, (int)(e.Weight / scale)))]);
            _marriedChildAges[(motherAge, min, max, childIsMale, grandchildMax)] = table;
        }

        return table.Sample(random);
    }

    /// <summary>
    /// An older or (when the mother was too young for that) younger sibling's age, at least 20 years below
    /// the mother's. The child drawn with the mother is the youngest: her age at that birth is what decides
    /// how likely she is to have it, so the others are older — drawing them younger would pile the
    /// families' later children on the youngest ages.
    /// </summary>
    public static int SiblingAge(CityRandom random, int motherAge, int siblingAge)
    {
        var gap = SiblingGap.Sample(random);
        if (siblingAge + gap <= motherAge - MinMotherAgeAtBirth)
        {
            return siblingAge + gap;
        }

        return siblingAge - gap >= 0 ? siblingAge - gap : siblingAge;
    }

    /// <summary>The age of the mother of someone aged <paramref name="childAge"/>, capped at 100.</summary>
    public static int MotherAge(CityRandom random, int childAge)
    {
        var age = childAge + MinMotherAgeAtBirth + BirthAge.Sample(random);
        return Math.Min(age, Math.Max(childAge + MinMotherAgeAtBirth, 100));
    }

    public int Pyramid(CityRandom random, int min, int max) => pyramid.Sample(random, min, max);
}
