using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Generates the city household by household: where it is, who lives there, then each member's
/// record. Everything comes from one seeded stream in a fixed order, so a seed and a size give the
/// same people everywhere, and a smaller city is the first part of a larger one with the same seed.
/// Not thread-safe: one generator per thread.
/// </summary>
internal sealed partial class CityGenerator
{
    // 7th census: 200,355 collective households of 2,888,253 (6.9 %), holding 7.75 % of the people.
    private const int CollectivePerMille = 69;

    // The UUIDv7 clock starts at the census moment, 2020-11-01 00:00 China time; each id takes the next millisecond.
    internal static readonly long IdEpoch = new DateTimeOffset(2020, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static readonly Weighted<HouseholdTemplate> Templates =
        new([.. HouseholdTemplates.All.Select(t => (t.Template, t.Weight))]);

    private static readonly Dictionary<HouseholdTemplate, int> MigrantPerMille =
        HouseholdTemplates.All.ToDictionary(t => t.Template, t => t.MigrantPerMille);

    private static readonly Weighted<CollectiveKind> CollectiveKinds = Weighted.Of(
        (CollectiveKind.Dormitory, 82), (CollectiveKind.Students, 10), (CollectiveKind.CareHome, 8));

    private static readonly Weighted<int> CollectiveSizes = Weighted.Of((1, 30), (2, 24), (3, 16), (4, 11), (5, 7), (6, 5), (7, 3), (8, 4));

    private readonly CitySpec _spec;
    private readonly CityRandom _random;
    private readonly CityMap _map;
    private readonly HouseholdComposer _composer;
    private readonly IdentityAllocator _identities;
    private readonly (int FirstDay, int Days)[] _birthDays;
    private long _nextId;

    public CityGenerator(CitySpec spec, RegionCatalogue regions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spec.People);
        _spec = spec;
        _random = new CityRandom(spec.Seed);
        _map = new CityMap(regions);
        _composer = new HouseholdComposer(new Kinship(new AgePyramid()));
        _identities = new IdentityAllocator(spec.AsOf.AddYears(-(AgePyramid.MaxAge + 1)), spec.AsOf, 0, IdentityAllocator.LivingSlots);
        _birthDays = new (int, int)[AgePyramid.MaxAge + 1];
        for (var age = 0; age <= AgePyramid.MaxAge; age++)
        {
            // Born after the (age+1)th birthday's eve and on or before the age-th: age years old on AsOf.
            var first = spec.AsOf.AddYears(-(age + 1)).AddDays(1).DayNumber;
            _birthDays[age] = (first, spec.AsOf.AddYears(-age).DayNumber - first + 1);
        }
    }

    public CitySpec Spec => _spec;

    public CityMap Map => _map;

    /// <summary>A birth date that makes someone <paramref name="age"/> years old on the reference date, drawn from <paramref name="random"/>.</summary>
    public DateOnly BirthDateFor(int age, CityRandom random)
    {
        var (firstDay, days) = _birthDays[Math.Clamp(age, 0, AgePyramid.MaxAge)];
        return DateOnly.FromDayNumber(firstDay + random.Next(days));
    }

    /// <summary>How many birth dates moved a day because their identity sequences were all taken.</summary>
    public long BirthDatesMoved => _identities.DatesMoved;

    public IEnumerable<GeneratedHousehold> Households()
    {
        var remaining = _spec.People;
        while (remaining > 0)
        {
            var household = Next(remaining);
            remaining -= household.Members.Length;
            yield return household;
        }
    }

    private GeneratedHousehold Next(long remaining)
    {
        var random = _random;
        var community = _map.ByPopulation.Sample(random);
        var collective = random.PerMille(CollectivePerMille);
        CollectiveKind? kind = null;
        bool migrant;
        if (collective)
        {
            kind = CollectiveKinds.Sample(random);
            migrant = random.PerMille(kind switch
            {
                CollectiveKind.Dormitory => Scale(880, community),
                CollectiveKind.Students => 600,
                _ => 30,
            });
            _composer.Collective(random, kind.Value, CollectiveSizes.Sample(random), migrant ? Surnames.National : Surnames.WuxiLocal);
        }
        else
        {
            var template = Templates.Sample(random);
            migrant = random.PerMille(Scale(MigrantPerMille[template], community));
            _composer.Family(random, template, migrant ? Surnames.National : Surnames.WuxiLocal);
        }

        var id = UuidV7.Create(IdEpoch + _nextId++, random);
        var number = community.NextHouseholdNumber(collective);
        var address = kind is { } k ? community.CollectiveAddress(random, k) : community.Address(random);
        var size = (int)Math.Min(_composer.Members.Count, remaining);
        var members = new PersonRecord[size];
        var household = new HouseholdContext(id, community, address, kind, migrant);
        PrepareRegistration(ref household);
        for (var i = 0; i < size; i++)
        {
            members[i] = Person(_composer.Members[i], ref household);
        }

        return new GeneratedHousehold(id, number, address, community.Code, collective, members);
    }

    // A district's factor moves the template's migrant share up (新吴) or down (宜兴), never past 95 %.
    private static int Scale(int perMille, Community community) =>
        Math.Min(950, perMille * community.District.MigrantFactorPerMille / 1000);
}
