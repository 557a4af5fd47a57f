using System.Text.RegularExpressions;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Registry.Validation;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

public sealed partial class ValidityTests
{
    private static readonly HashSet<string> WuxiAddressCodes =
        ["320205", "320206", "320211", "320213", "320214", "320281", "320282", "320202", "320203", "320204"];

    [Fact]
    public void Every_generated_person_passes_the_registry_validator()
    {
        var validator = new PersonRecordValidator(TimeProvider.System, RegionCatalogue.Wuxi);
        var people = Cities.Generate(seed: 2026, people: 20_000).People().ToList();

        var failures = people
            .Select(p => (Person: p, Result: validator.Validate(p)))
            .Where(x => !x.Result.IsValid)
            .Take(5)
            .Select(x => $"{IdentityNumber.Mask(x.Person.IdNumber)}: " + string.Join("; ", x.Result.Errors.Select(e => $"{e.PropertyName} {e.ErrorCode} {e.ErrorMessage}")))
            .ToList();

        Assert.Equal(20_000, people.Count);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Identity_numbers_person_ids_and_household_numbers_are_unique_over_200000_people()
    {
        var households = Cities.TwoHundredThousand;
        var people = households.People().ToList();

        Assert.Equal(200_000, people.Count);
        Assert.Equal(people.Count, people.Select(p => p.IdNumber).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(people.Count, people.Select(p => p.PersonId).Distinct().Count());
        Assert.Equal(households.Count, households.Select(h => h.Number).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(households.Count, households.Select(h => h.Id).Distinct().Count());
        Assert.Empty(households.Select(h => h.Id).Intersect(people.Select(p => p.PersonId)));
    }

    [Fact]
    public void Identity_numbers_agree_with_sex_birth_date_and_where_the_person_is_registered()
    {
        foreach (var p in Cities.TwoHundredThousand.People())
        {
            var parts = IdentityNumber.Parse(p.IdNumber).Parts!;
            Assert.Equal(p.BirthDate, parts.BirthDate);
            Assert.Equal(p.Sex, parts.SexCode);
            if (p.ResidenceType == "migrant")
            {
                Assert.Equal(p.Migrant!.OriginRegionCode, parts.AddressCode);
                Assert.Equal(p.RegisteredRegionCode, parts.AddressCode);
            }
            else
            {
                Assert.Contains(parts.AddressCode, WuxiAddressCodes);
                Assert.Null(p.Migrant);
            }
        }
    }

    [Fact]
    public void Person_ids_are_version_7_uuids()
    {
        foreach (var p in Cities.TwoHundredThousand.People().Take(1000))
        {
            Assert.Equal(7, p.PersonId.Version);
        }
    }

    [Fact]
    public void Phones_are_mainland_mobile_numbers_and_nobody_twelve_or_under_has_one()
    {
        foreach (var p in Cities.TwoHundredThousand.People().Where(p => p.Phone is not null))
        {
            Assert.Matches(MobilePattern(), p.Phone!);
            Assert.True(Cities.Age(p) > 12);
        }
    }

    [Fact]
    public void Every_county_of_origin_is_a_real_looking_county_code_outside_Wuxi()
    {
        var counties = OriginCounties.All;

        Assert.True(counties.Count >= 60);
        Assert.Equal(counties.Count, counties.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.True(counties.Select(c => c.Code[..2]).Distinct(StringComparer.Ordinal).Count() >= 12);
        Assert.All(counties, c =>
        {
            Assert.Matches(CountyPattern(), c.Code);
            Assert.False(c.Code.StartsWith("3202", StringComparison.Ordinal));
            Assert.True(PopInfo.Domain.Codes.NationalCodes.Province.Contains(c.Code[..2]));
        });
    }

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^\d{4}(?!00)\d{2}$")]
    private static partial Regex CountyPattern();
}
