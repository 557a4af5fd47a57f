using PopInfo.Contracts.Registry;

namespace PopInfo.SyntheticCity.Generation;

internal sealed partial class CityGenerator
{
    // Share (‰) of registered households whose hukou is in another community than the one they live in (人户分离).
    private const int RegisteredElsewherePerMille = 120;
    private const int CareHomeRegisteredElsewherePerMille = 700;

    // A spouse or child-in-law of a migrant comes from the same county this often (‰); housemates in a dormitory less so.
    private const int SpouseSameOriginPerMille = 800;
    private const int HousemateSameOriginPerMille = 350;
    private const int SpouseSameEthnicityPerMille = 850;

    // Share (‰) of 18–22-year-olds still in education.
    private const int RegisteredStudentsPerMille = 550;
    private const int MigrantStudentsPerMille = 150;

    private void PrepareRegistration(ref HouseholdContext h)
    {
        var random = _random;
        if (h.Migrant)
        {
            h.Origin = OriginCounties.ByWeight.Sample(random);
            h.Arrival = Migration.HouseholdArrival(random, _spec.AsOf);
            h.HomeAddress = Migration.HomeAddress(random, h.Origin);
            h.Ethnicity = Ethnicity.ForMigrant(random, h.Origin);
            return;
        }

        var elsewhere = random.PerMille(h.Collective == CollectiveKind.CareHome ? CareHomeRegisteredElsewherePerMille : RegisteredElsewherePerMille);
        h.RegisteredCommunity = elsewhere ? _map.ByPopulation.Sample(random) : h.Community;
        h.RegisteredAddress = elsewhere ? h.RegisteredCommunity.Address(random) : h.Address;
        h.Ethnicity = Ethnicity.ForRegistered(random);
    }

    private PersonRecord Person(in Draft d, ref HouseholdContext h)
    {
        var random = _random;
        var (firstDay, days) = _birthDays[d.Age];
        var birth = DateOnly.FromDayNumber(firstDay + random.Next(days));
        var personId = UuidV7.Create(IdEpoch + _nextId++, random);

        // Who brings their own background: spouses and in-laws married in; housemates are unrelated.
        var marriedIn = d.Role is Role.Spouse or Role.ChildInLaw;
        var unrelated = d.Role == Role.Housemate;
        var origin = h.Origin;
        var homeAddress = h.HomeAddress;
        if (h.Migrant && ((marriedIn && !random.PerMille(SpouseSameOriginPerMille)) || (unrelated && !random.PerMille(HousemateSameOriginPerMille))))
        {
            origin = OriginCounties.ByWeight.Sample(random);
            homeAddress = Migration.HomeAddress(random, origin);
        }

        var ethnicity = h.Ethnicity;
        if (unrelated || (marriedIn && !random.PerMille(SpouseSameEthnicityPerMille)))
        {
            ethnicity = h.Migrant ? Ethnicity.ForMigrant(random, origin!) : Ethnicity.ForRegistered(random);
        }

        var addressCode = h.Migrant ? origin!.Code : RegisteredAddressCode(h.RegisteredCommunity!, birth.Year);
        var idNumber = _identities.Allocate(addressCode, ref birth, d.Male);

        var studying = h.Collective == CollectiveKind.Students
            || (d.Age is >= 18 and <= 22 && d.Role != Role.Head && random.PerMille(h.Migrant ? MigrantStudentsPerMille : RegisteredStudentsPerMille));
        var education = Education.For(random, d.Age, h.Migrant, studying);
        var occupation = Occupations.For(random, d.Age, d.Male, education, studying, h.Community.IsVillage);
        var phone = Phones.For(random, d.Age);

        MigrantDetails? migrant = null;
        if (h.Migrant)
        {
            var arrival = Migration.MemberArrival(random, d.Role, h.Arrival, birth, _spec.AsOf);
            var reason = Migration.Reason(random, d.Role, d.Age, studying, h.Collective);
            migrant = Migration.Details(random, origin!, arrival, reason);
        }

        return new PersonRecord
        {
            PersonId = personId,
            IdNumber = idNumber,
            Name = string.Concat(d.Surname, GivenNames.Pick(random, d.Male, birth.Year)),
            Sex = d.Male ? "1" : "2",
            BirthDate = birth,
            Ethnicity = ethnicity,
            MaritalStatus = d.MaritalStatus,
            Education = education,
            Occupation = occupation,
            Phone = phone,
            RegisteredAddress = h.Migrant ? homeAddress : h.RegisteredAddress,
            RegisteredRegionCode = h.Migrant ? origin!.Code : h.RegisteredCommunity!.Code,
            ResidenceAddress = h.Address,
            ResidenceRegionCode = h.Community.Code,
            ResidenceType = h.Migrant ? "migrant" : "registered",
            Migrant = migrant,
            Status = "living",
            HouseholdId = h.Id,
            RelationshipToHead = d.Relationship,
        };
    }

    // Numbers keep the address code of the place and time they were issued: a 梁溪 or 新吴 resident
    // born before the districts existed (2015) still carries 崇安/南长/北塘 or 滨湖/锡山.
    internal static string RegisteredAddressCode(Community registered, int birthYear) =>
        birthYear < 2016 ? registered.OldAddressCode : registered.District.Code;

    /// <summary>What the members of one household share.</summary>
    private struct HouseholdContext(Guid id, Community community, string address, CollectiveKind? collective, bool migrant)
    {
        public readonly Guid Id = id;
        public readonly Community Community = community;
        public readonly string Address = address;
        public readonly CollectiveKind? Collective = collective;
        public readonly bool Migrant = migrant;
        public string Ethnicity = Generation.Ethnicity.Han;

        // Registered households: where the hukou is.
        public Community? RegisteredCommunity;
        public string? RegisteredAddress;

        // Migrant households: where they come from and when the first of them arrived.
        public OriginCounty? Origin;
        public string? HomeAddress;
        public DateOnly Arrival;
    }
}
