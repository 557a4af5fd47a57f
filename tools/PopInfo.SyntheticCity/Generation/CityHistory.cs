using PopInfo.Contracts.Registry;
using PopInfo.Domain.Codes;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The city's past since the census: derived household by household from the living city, which it
/// never changes, with a seeded stream of its own (so the living people, their ids and fields are those
/// of a city without history). For each living household it decides who came when (present at the
/// census, born, arrived as a migrant, moved in), whether the family moved within the city, who of the
/// household died, and which migrants and registered families lived here and left; the people who are no
/// longer there get ids after every living one and identity numbers from a range of their own. Every
/// version is what the registry's command for that event would write (PersonCommands), occurred at the
/// local midnight of the event's date, recorded after a registration lag, never after the reference date.
/// Not thread-safe: one per generator.
/// </summary>
internal sealed class CityHistory
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The census moment at which the register starts: 2020-11-01 00:00 China time.</summary>
    public static readonly DateOnly CensusDate = new(2020, 11, 1);

    public static readonly DateTimeOffset CensusMoment = AtLocalMidnight(CensusDate);

    // The history's ids start this many milliseconds after the census on the UUIDv7 clock: above any living id
    // (one per person and one per household, at most 2 × 50 million), so every living id stays as it is.
    private const long FormerIdOffset = 100_000_000;

    // The history stream's purpose number ("HISTORY").
    private const ulong StreamPurpose = 0x48495354_4F5259;

    // The dead may be older than anyone living: their numbers go back this many years before the reference date.
    private const int EarliestBirthYears = 112;

    private readonly CityGenerator _generator;
    private readonly CitySpec _spec;
    private readonly CityMap _map;
    private readonly CityRandom _random;
    private readonly IdentityAllocator _identities;
    private readonly DateTimeOffset _asOfMoment;
    private readonly DateTimeOffset _loadTime;
    private readonly int _periodDays;
    private readonly Dictionary<string, OriginCounty> _origins = OriginCounties.All.ToDictionary(c => c.Code, StringComparer.Ordinal);
    private long _nextId;

    /// <param name="generator">The living city.</param>
    /// <param name="loadTime">Without history: the time every version-1 row carries (as before history existed).</param>
    public CityHistory(CityGenerator generator, DateTimeOffset loadTime)
    {
        _generator = generator;
        _spec = generator.Spec;
        _map = generator.Map;
        _loadTime = loadTime;
        _random = new CityRandom(CityRandom.Derive(_spec.Seed, StreamPurpose));
        _identities = new IdentityAllocator(_spec.AsOf.AddYears(-EarliestBirthYears), _spec.AsOf,
            IdentityAllocator.LivingSlots, 500 - IdentityAllocator.LivingSlots);
        _asOfMoment = AtLocalMidnight(_spec.AsOf);
        _periodDays = _spec.AsOf.DayNumber - CensusDate.DayNumber;
        Enabled = _spec.History && _periodDays > 0;
    }

    /// <summary>How many birth dates of the people no longer there moved a day because their identity sequences were all taken.</summary>
    public long BirthDatesMoved => _identities.DatesMoved;

    /// <summary>False without history, or with a reference date not after the census: then every person is one version.</summary>
    public bool Enabled { get; }

    public static DateTimeOffset AtLocalMidnight(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaOffset).ToUniversalTime();

    public IEnumerable<CityUnit> Units()
    {
        foreach (var household in _generator.Households())
        {
            yield return Enabled ? Derive(household) : Snapshot(household);
        }
    }

    private CityUnit Snapshot(GeneratedHousehold h) => new(
        h,
        [new HouseholdRow(h, _loadTime)],
        [.. h.Members.Select(p => new PersonTimeline([new PersonVersion(p, ChangeTypes.Registered, _loadTime, _loadTime)]))]);

    private CityUnit Derive(GeneratedHousehold h)
    {
        var random = _random;
        var members = h.Members;
        var migrantHousehold = members[0].ResidenceType == "migrant";
        var family = !h.Collective;

        // The household as a whole: did it move its hukou here during the period, and did it move within the city?
        DateOnly? movedIn = null;
        if (family && !migrantHousehold && Chance(HistoryRates.MovedInPerMilleYear, _periodDays))
        {
            movedIn = DayAfter(CensusDate, _spec.AsOf);
        }

        var entries = new (string Type, DateOnly Date)[members.Length];
        var firstEntry = _spec.AsOf;
        for (var i = 0; i < members.Length; i++)
        {
            entries[i] = Entry(members[i].BirthDate, members[i].Migrant?.ArrivalDate, movedIn);
            firstEntry = entries[i].Date < firstEntry ? entries[i].Date : firstEntry;
        }

        Move? move = null;
        if (family && firstEntry < _spec.AsOf && Chance(HistoryRates.MovedWithinCityPerMilleYear, _spec.AsOf.DayNumber - firstEntry.DayNumber))
        {
            var from = _map.ByPopulation.Sample(random);
            if (from.Code != h.RegionCode)
            {
                move = new Move(DayAfter(firstEntry, _spec.AsOf), from.Code, from.Address(random));
            }
        }

        var people = new List<PersonTimeline>(members.Length + 2);
        for (var i = 0; i < members.Length; i++)
        {
            people.Add(Build(members[i], entries[i], move, null));
        }

        // Deaths: each member stands for the people of their age who lived with them; the household's dead
        // died at the age-specific rate of their age.
        var headSurname = SurnameOf(members[0].Name);
        for (var i = 0; i < members.Length; i++)
        {
            AddDead(h, members, i, headSurname, movedIn, move, people);
        }

        var households = new List<HouseholdRow> { new(h, default) };
        if (migrantHousehold)
        {
            AddDepartedMigrants(h, headSurname, people, households);
        }
        else if (family && Chance(HistoryRates.MovedOutPerMilleYear, _periodDays))
        {
            households.Add(FormerFamily(h, headSurname, people, migrant: false));
        }

        // A household exists in the register from the first registration of anyone in it.
        for (var i = 0; i < households.Count; i++)
        {
            var id = households[i].Household.Id;
            var created = _asOfMoment;
            foreach (var p in people)
            {
                if (p.Versions[0].Record.HouseholdId == id && p.Versions[0].RecordedAt < created)
                {
                    created = p.Versions[0].RecordedAt;
                }
            }

            households[i] = households[i] with { CreatedAt = created };
        }

        return new CityUnit(h, households, people);
    }

    // How a person first appears in the register.
    private static (string Type, DateOnly Date) Entry(DateOnly birth, DateOnly? arrival, DateOnly? movedIn)
    {
        if (arrival is { } arrived)
        {
            return arrived <= CensusDate ? (ChangeTypes.Registered, CensusDate)
                : arrived == birth ? (ChangeTypes.Born, birth)
                : (ChangeTypes.MigrantArrived, arrived);
        }

        if (movedIn is { } mi && birth < mi)
        {
            return (ChangeTypes.MovedIn, mi);
        }

        return birth > CensusDate ? (ChangeTypes.Born, birth) : (ChangeTypes.Registered, CensusDate);
    }

    // The dead of this member's age: each died at the age the member has now (so the rate of death stays level
    // over the years, as the living are the survivors), while the household lived here.
    private void AddDead(GeneratedHousehold h, PersonRecord[] members, int i, string headSurname, DateOnly? movedIn, Move? move, List<PersonTimeline> people)
    {
        var random = _random;
        var anchor = members[i];
        var age = CityStatistics.AgeOn(anchor.BirthDate, _spec.AsOf);
        var start = CensusDate;
        if (anchor.Migrant is { } m && m.ArrivalDate > start)
        {
            start = m.ArrivalDate;
        }

        if (movedIn is { } mi && mi > start)
        {
            start = mi;
        }

        var window = _spec.AsOf.DayNumber - start.DayNumber;
        if (window <= 0)
        {
            return;
        }

        // Probability over the window, per million: may exceed one death for the very old (a care-home bed, a second companion).
        var expected = (long)HistoryRates.MortalityPerMillion(age) * window / 365;
        var deaths = (int)(expected / 1_000_000) + (random.Next(1_000_000) < expected % 1_000_000 ? 1 : 0);
        for (var k = 0; k < deaths; k++)
        {
            var died = DayAfter(start, _spec.AsOf);
            var birth = DateOnly.FromDayNumber(died.AddYears(-age).DayNumber - random.Next(365));
            var (relationship, male, ownSurname) = DeadRelation(h, members, anchor, random);
            var surname = ownSurname ? SurnameOf(anchor.Name) : (anchor.ResidenceType == "migrant" ? Surnames.National : Surnames.WuxiLocal).Sample(random);
            if (relationship is FamilyRelationshipCodes.Father or "70")
            {
                surname = headSurname;
            }

            var married = relationship is FamilyRelationshipCodes.Spouse or FamilyRelationshipCodes.Father or FamilyRelationshipCodes.Mother;
            var record = Mirror(anchor, birth, age, male, surname, relationship, married ? MaritalStatusCodes.Married : anchor.MaritalStatus,
                anchor.Migrant?.ArrivalDate, anchor.ResidenceAddress!, anchor.ResidenceRegionCode!, anchor.HouseholdId, null);
            var entry = Entry(record.BirthDate, record.Migrant?.ArrivalDate, movedIn);
            people.Add(Build(record, entry, move, new Exit(ChangeTypes.Died, Max(died, entry.Date), null)));
        }
    }

    // Who the dead were to the head: the late spouse of a head living alone now, the other parent of a widowed
    // parent, a brother or sister of the head, a child's sibling; in a collective household, a housemate.
    private static (string Relationship, bool Male, bool AnchorsSurname) DeadRelation(GeneratedHousehold h, PersonRecord[] members, PersonRecord anchor, CityRandom random)
    {
        var anchorMale = anchor.Sex == "1";
        var other = random.Next(2) == 0;
        if (h.Collective)
        {
            return (FamilyRelationshipCodes.NonRelative, other, false);
        }

        bool Has(string code) => members.Any(p => p.RelationshipToHead == code);
        return anchor.RelationshipToHead switch
        {
            FamilyRelationshipCodes.Head when !Has(FamilyRelationshipCodes.Spouse) => (FamilyRelationshipCodes.Spouse, !anchorMale, false),
            FamilyRelationshipCodes.Head or FamilyRelationshipCodes.Spouse => ("70", other, true),
            FamilyRelationshipCodes.Father when !Has(FamilyRelationshipCodes.Mother) => (FamilyRelationshipCodes.Mother, false, false),
            FamilyRelationshipCodes.Mother when !Has(FamilyRelationshipCodes.Father) => (FamilyRelationshipCodes.Father, true, false),
            "41" or "42" => (other ? "41" : "42", other, true),
            "43" or "44" => (other ? "43" : "44", other, true),
            FamilyRelationshipCodes.Son or FamilyRelationshipCodes.Daughter => (other ? FamilyRelationshipCodes.Son : FamilyRelationshipCodes.Daughter, other, true),
            _ => (FamilyRelationshipCodes.OtherRelative, other, false),
        };
    }

    // Migrants who lived here and have left: former housemates of a collective household, one by one; for a
    // family, a household like this one (same origin, same shape) that came and went.
    private void AddDepartedMigrants(GeneratedHousehold h, string headSurname, List<PersonTimeline> people, List<HouseholdRow> households)
    {
        var random = _random;
        if (h.Collective)
        {
            foreach (var anchor in h.Members)
            {
                for (var k = 0; k < Repeats(HistoryRates.DepartedPerThousandMigrants); k++)
                {
                    var left = DayAfter(CensusDate, _spec.AsOf);
                    var arrived = ArrivalBefore(left);
                    var age = CityStatistics.AgeOn(anchor.BirthDate, _spec.AsOf);
                    var birth = _generator.BirthDateFor(age, random);
                    if (birth >= left)
                    {
                        continue;
                    }

                    var record = Mirror(anchor, birth, age, anchor.Sex == "1", Surnames.National.Sample(random), FamilyRelationshipCodes.NonRelative,
                        anchor.MaritalStatus, arrived, anchor.ResidenceAddress!, anchor.ResidenceRegionCode!, h.Id, null);
                    people.Add(Build(record, Entry(record.BirthDate, record.Migrant!.ArrivalDate, null), null,
                        new Exit(ChangeTypes.MigrantDeparted, Max(left, record.Migrant.ArrivalDate), Destination(record))));
                }
            }

            return;
        }

        for (var k = 0; k < Repeats(HistoryRates.DepartedPerThousandMigrants); k++)
        {
            households.Add(FormerFamily(h, headSurname, people, migrant: true));
        }
    }

    // A family like the living one that lived in the same community and left the city on one day.
    private HouseholdRow FormerFamily(GeneratedHousehold h, string headSurname, List<PersonTimeline> people, bool migrant)
    {
        var random = _random;
        var community = _map.ByCode[h.RegionCode];
        var id = UuidV7.Create(CityGenerator.IdEpoch + FormerIdOffset + _nextId++, random);
        var number = community.NextFormerHouseholdNumber(collective: false);
        var address = community.Address(random);
        var left = DayAfter(CensusDate, _spec.AsOf);
        DateOnly? arrived = migrant ? ArrivalBefore(left) : null;
        var newSurname = (migrant ? Surnames.National : Surnames.WuxiLocal).Sample(random);
        var records = new List<PersonRecord>();
        foreach (var anchor in h.Members)
        {
            var age = CityStatistics.AgeOn(anchor.BirthDate, _spec.AsOf);
            var birth = _generator.BirthDateFor(age, random);
            if (birth >= left)
            {
                // Born after the family had left: never here.
                continue;
            }

            var surname = SurnameOf(anchor.Name) == headSurname ? newSurname : (migrant ? Surnames.National : Surnames.WuxiLocal).Sample(random);
            // Registered at home: a registered resident whose hukou is where they live had it at this address.
            var registeredHere = !migrant && anchor.RegisteredAddress == anchor.ResidenceAddress;
            var record = Mirror(anchor, birth, age, anchor.Sex == "1", surname, anchor.RelationshipToHead!, anchor.MaritalStatus,
                arrived is { } a ? Max(a, birth) : null, address, community.Code, id, registeredHere ? (address, community.Code) : null);
            var exit = migrant
                ? new Exit(ChangeTypes.MigrantDeparted, Max(left, record.Migrant!.ArrivalDate), Destination(record))
                : new Exit(ChangeTypes.MovedOut, left, Destination(record));
            var timeline = Build(record, Entry(record.BirthDate, record.Migrant?.ArrivalDate, null), null, exit);
            people.Add(timeline);
            records.Add(timeline.Record);
        }

        return new HouseholdRow(new GeneratedHousehold(id, number, address, community.Code, false, [.. records]), default);
    }

    // A new person like the anchor — of the given age (on the reference date, or at death), origin, ethnicity,
    // schooling — with a name, number and birth date of their own, living at the given address.
    private PersonRecord Mirror(
        PersonRecord anchor, DateOnly birth, int age, bool male, string surname, string relationship, string? marital, DateOnly? arrival,
        string residenceAddress, string residenceRegion, Guid? householdId, (string Address, string Region)? registeredAt)
    {
        var random = _random;
        var migrant = anchor.Migrant;
        var code = migrant is not null
            ? migrant.OriginRegionCode
            : CityGenerator.RegisteredAddressCode(_map.ByCode[registeredAt?.Region ?? anchor.RegisteredRegionCode!], birth.Year);
        var idNumber = _identities.Allocate(code, ref birth, male);
        var studying = anchor.Occupation == Occupations.Student;
        return anchor with
        {
            PersonId = UuidV7.Create(CityGenerator.IdEpoch + FormerIdOffset + _nextId++, random),
            IdNumber = idNumber,
            Name = string.Concat(surname, GivenNames.Pick(random, male, birth.Year)),
            Sex = male ? "1" : "2",
            BirthDate = birth,
            MaritalStatus = marital,
            Occupation = Occupations.For(random, age, male, anchor.Education, studying, _map.ByCode[residenceRegion].IsVillage),
            Phone = Phones.For(random, age),
            RegisteredAddress = registeredAt?.Address ?? anchor.RegisteredAddress,
            RegisteredRegionCode = registeredAt?.Region ?? anchor.RegisteredRegionCode,
            ResidenceAddress = residenceAddress,
            ResidenceRegionCode = residenceRegion,
            Migrant = migrant is null ? null : migrant with { ArrivalDate = Max(arrival ?? migrant.ArrivalDate, birth), DepartureDate = null },
            HouseholdId = householdId,
            RelationshipToHead = householdId is null ? null : relationship,
        };
    }

    // The versions of one person: the first registration (at the old address if the household moved later),
    // the move within the city, the way out — each as the registry's command writes it.
    private PersonTimeline Build(PersonRecord living, (string Type, DateOnly Date) entry, Move? move, Exit? exit)
    {
        var versions = new List<PersonVersion>(3);
        var first = living;
        var movedBefore = move is { } mv && entry.Date < mv.Date;
        if (movedBefore)
        {
            // A registered resident whose hukou is at home moved it along (moveRegistration); anyone else kept it where it was.
            var registrationMoved = living.ResidenceType == "registered"
                && living.RegisteredRegionCode == living.ResidenceRegionCode && living.RegisteredAddress == living.ResidenceAddress;
            first = living with
            {
                ResidenceAddress = move!.OldAddress,
                ResidenceRegionCode = move.OldRegion,
                RegisteredAddress = registrationMoved ? move.OldAddress : living.RegisteredAddress,
                RegisteredRegionCode = registrationMoved ? move.OldRegion : living.RegisteredRegionCode,
            };
        }

        var occurred = entry.Type == ChangeTypes.Registered ? CensusMoment : AtLocalMidnight(entry.Date);
        var recorded = entry.Type == ChangeTypes.Registered ? CensusMoment : Recorded(entry.Type, entry.Date, CensusMoment);
        versions.Add(new PersonVersion(first, entry.Type, occurred, recorded));
        var current = first;
        if (movedBefore && (exit is null || move!.Date < exit.Date))
        {
            current = living;
            recorded = Recorded(ChangeTypes.MovedWithinCity, move!.Date, recorded);
            versions.Add(new PersonVersion(current, ChangeTypes.MovedWithinCity, AtLocalMidnight(move.Date), recorded));
        }

        if (exit is { } found)
        {
            // A birth date moved for a free identity number may have passed the planned day: nobody leaves before arriving.
            var e = found.Date < entry.Date ? found with { Date = entry.Date } : found;
            var last = e.Type switch
            {
                ChangeTypes.Died => current with { Status = "deceased", DeathDate = e.Date },
                ChangeTypes.MovedOut => current with
                {
                    Status = "moved-away", Destination = e.Destination, ResidenceAddress = null, ResidenceRegionCode = null, HouseholdId = null, RelationshipToHead = null,
                },
                _ => current with
                {
                    Status = "moved-away", Destination = e.Destination, ResidenceAddress = null, ResidenceRegionCode = null, HouseholdId = null, RelationshipToHead = null,
                    Migrant = current.Migrant! with { DepartureDate = e.Date },
                },
            };
            recorded = Recorded(e.Type, e.Date, recorded);
            versions.Add(new PersonVersion(last, e.Type, AtLocalMidnight(e.Date), recorded));
        }

        return new PersonTimeline(versions);
    }

    // The register learns of an event after its lag, during office hours; never before the version it follows, never after the reference date.
    private DateTimeOffset Recorded(string changeType, DateOnly date, DateTimeOffset notBefore)
    {
        var lag = HistoryRates.LagDays(_random, changeType);
        var at = AtLocalMidnight(date.AddDays(lag)).AddSeconds(_random.Between(8 * 3600 + 1800, 17 * 3600 + 1800));
        if (at > _asOfMoment)
        {
            at = _asOfMoment;
        }

        return at < notBefore ? notBefore : at;
    }

    private string Destination(PersonRecord p) =>
        p.Migrant is { } m && _random.Next(100) < 70 && _origins.TryGetValue(m.OriginRegionCode, out var home)
            ? home.FullName
            : HistoryRates.Destinations.Sample(_random);

    private DateOnly ArrivalBefore(DateOnly left)
    {
        var (min, max) = HistoryRates.StayMonths.Sample(_random);
        return left.AddMonths(-_random.Between(min, max)).AddDays(-_random.Next(28));
    }

    // True with probability rate ‰ per year over the given days.
    private bool Chance(int perMillePerYear, int days) =>
        _random.Next(1_000_000) < (long)perMillePerYear * 1000 * days / 365;

    // How many times: the whole thousands, plus one with the probability of the rest.
    private int Repeats(int perThousand) => (perThousand / 1000) + (_random.Next(1000) < perThousand % 1000 ? 1 : 0);

    // A day after `after` and no later than `last` (`after` < `last`).
    private DateOnly DayAfter(DateOnly after, DateOnly last) =>
        DateOnly.FromDayNumber(after.DayNumber + 1 + _random.Next(last.DayNumber - after.DayNumber));

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static readonly string[] CompoundSurnames = ["欧阳", "诸葛", "司马", "上官", "东方"];

    internal static string SurnameOf(string name) =>
        CompoundSurnames.FirstOrDefault(s => name.StartsWith(s, StringComparison.Ordinal)) ?? name[..1];

    private sealed record Move(DateOnly Date, string OldRegion, string OldAddress);

    private sealed record Exit(string Type, DateOnly Date, string? Destination);
}
