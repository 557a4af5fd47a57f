using PopInfo.Contracts.Registry;
using PopInfo.Domain.Codes;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

public sealed class HouseholdTests
{
    private static readonly HashSet<string> Children = ["20", "30"];
    private static readonly HashSet<string> ChildrenInLaw = ["28", "38"];
    private static readonly HashSet<string> Grandchildren = ["41", "42", "43", "44"];
    private static readonly HashSet<string> ParentsOfHead = ["51", "52"];

    [Fact]
    public void Every_household_has_exactly_one_head_listed_first_and_its_members_live_there()
    {
        foreach (var h in Cities.TwoHundredThousand)
        {
            Assert.Equal(FamilyRelationshipCodes.Head, h.Members[0].RelationshipToHead);
            Assert.Single(h.Members, m => m.RelationshipToHead == FamilyRelationshipCodes.Head);
            Assert.All(h.Members, m =>
            {
                Assert.Equal(h.Id, m.HouseholdId);
                Assert.Equal(h.RegionCode, m.ResidenceRegionCode);
                Assert.Equal(h.Address, m.ResidenceAddress);
            });
        }
    }

    [Fact]
    public void Generations_are_at_least_18_years_apart()
    {
        foreach (var h in Cities.TwoHundredThousand.Where(h => !h.Collective))
        {
            var head = h.Members[0];
            var couple = h.Members.Where(m => m.RelationshipToHead is "02" or "10").ToList();
            foreach (var child in h.Members.Where(m => Children.Contains(m.RelationshipToHead!)))
            {
                Assert.All(couple, parent => Assert.True(YearsBetween(parent, child) >= 18, Describe(h)));
            }

            var parentsOfGrandchildren = h.Members.Where(m => ChildrenInLaw.Contains(m.RelationshipToHead!) || (Children.Contains(m.RelationshipToHead!) && IsMarried(m))).ToList();
            foreach (var grandchild in h.Members.Where(m => Grandchildren.Contains(m.RelationshipToHead!)))
            {
                Assert.All(parentsOfGrandchildren, parent => Assert.True(YearsBetween(parent, grandchild) >= 18, Describe(h)));
                Assert.True(YearsBetween(head, grandchild) >= 36, Describe(h));
            }

            foreach (var parent in h.Members.Where(m => ParentsOfHead.Contains(m.RelationshipToHead!)))
            {
                Assert.True(YearsBetween(parent, head) >= 18, Describe(h));
            }
        }
    }

    [Fact]
    public void Spouses_are_of_opposite_sex_and_both_married()
    {
        foreach (var h in Cities.TwoHundredThousand)
        {
            var spouse = h.Members.FirstOrDefault(m => m.RelationshipToHead == FamilyRelationshipCodes.Spouse);
            if (spouse is null)
            {
                continue;
            }

            var head = h.Members[0];
            Assert.NotEqual(head.Sex, spouse.Sex);
            Assert.True(IsMarried(head) && IsMarried(spouse), Describe(h));
        }
    }

    [Fact]
    public void Marital_status_and_education_fit_the_age()
    {
        foreach (var p in Cities.TwoHundredThousand.People())
        {
            var age = Cities.Age(p);
            var legal = p.Sex == SexCodes.Male ? 22 : 20;
            if (age < legal)
            {
                Assert.Equal(MaritalStatusCodes.Unmarried, p.MaritalStatus);
            }

            if (age < 6)
            {
                Assert.Null(p.Education);
            }

            if (p.Education is "11" or "14")
            {
                Assert.True(age >= 23);
            }

            if (age < 16)
            {
                Assert.Null(p.Occupation);
            }
        }
    }

    [Fact]
    public void Migrants_arrived_after_birth_and_not_after_the_reference_date()
    {
        foreach (var p in Cities.TwoHundredThousand.People().Where(p => p.Migrant is not null))
        {
            Assert.InRange(p.Migrant!.ArrivalDate, p.BirthDate, Cities.AsOf);
            Assert.Contains(p.Migrant.Reason, new[] { "work", "business", "study", "family", "other" });
        }
    }

    [Fact]
    public void Names_are_chinese_names_of_two_to_four_characters()
    {
        foreach (var p in Cities.TwoHundredThousand.People())
        {
            Assert.InRange(p.Name.Length, 2, 4);
        }
    }

    private static bool IsMarried(PersonRecord p) => p.MaritalStatus is "20" or "21" or "22" or "23";

    private static double YearsBetween(PersonRecord older, PersonRecord younger) =>
        (younger.BirthDate.DayNumber - older.BirthDate.DayNumber) / 365.25;

    private static string Describe(GeneratedHousehold h) =>
        string.Join(", ", h.Members.Select(m => $"{m.RelationshipToHead} {m.Sex} {m.BirthDate:yyyy-MM-dd} {m.MaritalStatus}"));
}
