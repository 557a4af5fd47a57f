using PopInfo.Contracts.Registry;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>Counts that say whether a generated city looks like Wuxi: sex ratio, age shares, household sizes, migrants.</summary>
internal sealed class CityStatistics(DateOnly asOf)
{
    private readonly long[] _byAge = new long[AgePyramid.MaxAge + 2];
    private readonly long[] _familySizes = new long[10];
    private readonly Dictionary<string, long> _byDistrict = new(StringComparer.Ordinal);

    public long People { get; private set; }
    public long Males { get; private set; }
    public long Migrants { get; private set; }
    public long FamilyHouseholds { get; private set; }
    public long FamilyMembers { get; private set; }
    public long CollectiveHouseholds { get; private set; }
    public long CollectiveMembers { get; private set; }
    public long OverTwelve { get; private set; }
    public long OverTwelveWithPhone { get; private set; }
    public long NonHan { get; private set; }

    public IReadOnlyDictionary<string, long> ByDistrict => _byDistrict;

    public void Add(GeneratedHousehold household)
    {
        if (household.Collective)
        {
            CollectiveHouseholds++;
            CollectiveMembers += household.Members.Length;
        }
        else
        {
            FamilyHouseholds++;
            FamilyMembers += household.Members.Length;
            _familySizes[Math.Min(household.Members.Length, _familySizes.Length - 1)]++;
        }

        var district = household.RegionCode[..6];
        _byDistrict[district] = _byDistrict.GetValueOrDefault(district) + household.Members.Length;
        foreach (var person in household.Members)
        {
            Add(person);
        }
    }

    public double SexRatio => Males * 100.0 / Math.Max(1, People - Males);

    /// <summary>Share of people aged <paramref name="min"/> to <paramref name="max"/> (inclusive) on the reference date.</summary>
    public double AgeShare(int min, int max)
    {
        long n = 0;
        for (var age = min; age <= Math.Min(max, _byAge.Length - 1); age++)
        {
            n += _byAge[age];
        }

        return n / (double)Math.Max(1, People);
    }

    public double MigrantShare => Migrants / (double)Math.Max(1, People);

    public double AverageFamilySize => FamilyMembers / (double)Math.Max(1, FamilyHouseholds);

    public double FamilySizeShare(int size) => _familySizes[size] / (double)Math.Max(1, FamilyHouseholds);

    private void Add(PersonRecord person)
    {
        People++;
        if (person.Sex == "1")
        {
            Males++;
        }

        if (person.ResidenceType == "migrant")
        {
            Migrants++;
        }

        if (person.Ethnicity != Ethnicity.Han)
        {
            NonHan++;
        }

        var age = AgeOn(person.BirthDate, asOf);
        _byAge[Math.Min(age, _byAge.Length - 1)]++;
        if (age > 12)
        {
            OverTwelve++;
            if (person.Phone is not null)
            {
                OverTwelveWithPhone++;
            }
        }
    }

    public static int AgeOn(DateOnly birth, DateOnly asOf)
    {
        var age = asOf.Year - birth.Year;
        return birth > asOf.AddYears(-age) ? age - 1 : age;
    }
}
