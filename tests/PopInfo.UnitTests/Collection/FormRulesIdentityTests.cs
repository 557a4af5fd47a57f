using Microsoft.Extensions.Time.Testing;
using PopInfo.Collection.Forms;
using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Collection;

/// <summary>The desk's form rules apply the identity number's mismatch rule (IdentityNumberFacts.Mismatches) on submit.</summary>
public sealed class FormRulesIdentityTests
{
    private static readonly FormRules Rules = new(RegionCatalogue.Wuxi, new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero)));

    private static Dictionary<string, string> Birth(string birthDate, string sex) => new()
    {
        ["idNumber"] = "320213202511300025", ["name"] = "王小丽", ["sex"] = sex, ["birthDate"] = birthDate, ["ethnicity"] = "01",
        ["noMotherReason"] = "abandoned",
    };

    private static List<(string Field, string Rule)> Violations(Dictionary<string, string> data) =>
        Rules.Check(FormTypes.Birth, data, subjectKnownById: false).Select(v => (v.Field, v.Rule)).ToList();

    [Fact]
    public void A_birth_that_agrees_with_its_identity_number_passes()
    {
        Assert.Empty(Violations(Birth("2025-11-30", "2")));
    }

    [Fact]
    public void A_birth_date_and_sex_other_than_the_number_says_are_refused_at_their_fields()
    {
        Assert.Equal([("birthDate", "birth-date.matches-id-number"), ("sex", "sex.matches-id-number")], Violations(Birth("2025-11-29", "1")));
    }

    [Fact]
    public void A_correction_compares_with_the_new_identity_number()
    {
        var data = new Dictionary<string, string> { ["idNumber"] = "320213199001150026", ["newIdNumber"] = "320213202511300025", ["birthDate"] = "1990-01-15" };

        Assert.Contains(("birthDate", "birth-date.matches-id-number"), Rules.Check(FormTypes.Correction, data, subjectKnownById: false).Select(v => (v.Field, v.Rule)));
    }
}
