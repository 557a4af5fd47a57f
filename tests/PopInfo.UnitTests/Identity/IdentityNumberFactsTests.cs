using PopInfo.Domain.Counties;
using PopInfo.Domain.Identity;

namespace PopInfo.UnitTests.Identity;

/// <summary>
/// What an identity number says — birth date, sex, place of issue — rule by rule, for 18-character and 15-digit numbers;
/// and the mismatch rule between a form's fields and its number. The numbers' check characters were computed by hand
/// (ISO 7064 MOD 11-2), not by the code under test.
/// </summary>
public class IdentityNumberFactsTests
{
    private static IdentityNumberFacts FactsOf(string number)
    {
        var parsed = IdentityNumber.ParseAny(number);
        Assert.True(parsed.IsValid, parsed.Message);
        return IdentityNumberFacts.Of(parsed.Parts!, CountyCatalogue.China);
    }

    [Fact]
    public void Characters_7_to_14_are_the_birth_date_and_an_even_sequence_a_woman()
    {
        var facts = FactsOf("320213199001150026");

        Assert.Equal(new DateOnly(1990, 1, 15), facts.BirthDate);
        Assert.Equal("2", facts.SexCode);
    }

    [Fact]
    public void An_odd_sequence_is_a_man_and_the_standard_example_is_a_woman_born_in_1949()
    {
        Assert.Equal("1", FactsOf("320202198002290019").SexCode);
        var example = FactsOf("11010519491231002X");
        Assert.Equal(("2", new DateOnly(1949, 12, 31)), (example.SexCode, example.BirthDate));
    }

    [Fact]
    public void The_place_of_issue_of_a_county_in_use_is_its_name()
    {
        var place = FactsOf("320213199001150026").PlaceOfIssue;

        Assert.True(place.IsKnown);
        Assert.False(place.IsAbolished);
        Assert.Equal("江苏省无锡市梁溪区", place.Shown!.FullName);
    }

    [Fact]
    public void The_place_of_issue_of_an_abolished_county_is_marked_abolished_with_its_years()
    {
        var place = FactsOf("320202198002290019").PlaceOfIssue;

        Assert.True(place.IsAbolished);
        Assert.Equal(("崇安区", 1983, 2015), (place.Shown!.Name, place.Shown.FromYear, place.Shown.ToYear!.Value));
        Assert.Equal("320213", Assert.Single(place.Shown.Successors).Code);
    }

    [Fact]
    public void A_code_the_county_list_does_not_know_gives_the_facts_without_a_place()
    {
        var facts = FactsOf("320201197001010037");

        Assert.Equal(new DateOnly(1970, 1, 1), facts.BirthDate);
        Assert.False(facts.PlaceOfIssue.IsKnown);
        Assert.False(facts.PlaceOfIssue.IsAbolished);
        Assert.Null(facts.PlaceOfIssue.Shown);
        Assert.Equal("320201", facts.PlaceOfIssue.Code);
    }

    [Fact]
    public void A_reused_code_shows_its_name_in_use_and_keeps_the_earlier_one()
    {
        var place = FactsOf("320211198505050048").PlaceOfIssue;

        Assert.Equal(["滨湖区", "郊区"], place.Entries.Select(e => e.Name));
        Assert.False(place.IsAbolished);
    }

    [Fact]
    public void A_15_digit_number_is_read_as_born_in_the_1900s()
    {
        var parsed = IdentityNumber.ParseAny("320202800229001");

        Assert.True(parsed.IsValid);
        Assert.Equal("320202198002290019", parsed.Normalized);
        var facts = IdentityNumberFacts.Of(parsed.Parts!, CountyCatalogue.China);
        Assert.Equal((new DateOnly(1980, 2, 29), "1"), (facts.BirthDate, facts.SexCode));
        Assert.True(facts.PlaceOfIssue.IsAbolished);
    }

    [Theory]
    [InlineData(null, IdentityNumberRules.Required)]
    [InlineData("", IdentityNumberRules.Required)]
    [InlineData("3202021980022900", IdentityNumberRules.Length)]
    [InlineData("32020219800229001X", IdentityNumberRules.CheckCharacter)]
    [InlineData("32020219800229001x", IdentityNumberRules.CheckCharacter)]
    [InlineData("320202198002300019", IdentityNumberRules.BirthDate)]
    [InlineData("990202198002290019", IdentityNumberRules.Province)]
    [InlineData("3202021980022900１9", IdentityNumberRules.Characters)]
    [InlineData("32020280022900X", IdentityNumberRules.Characters)]
    [InlineData("990202800229001", IdentityNumberRules.Province)]
    [InlineData("320202810229001", IdentityNumberRules.BirthDate)]
    public void An_invalid_number_names_the_first_rule_it_breaks_and_has_no_facts(string? number, string rule)
    {
        var parsed = IdentityNumber.ParseAny(number);

        Assert.False(parsed.IsValid);
        Assert.Equal(rule, parsed.FailedRule);
        Assert.DoesNotContain("320202", parsed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_form_that_agrees_with_its_number_has_no_mismatch_and_fields_not_given_are_not_compared()
    {
        var parts = IdentityNumber.Parse("320213199001150026").Parts!;

        Assert.Empty(IdentityNumberFacts.Mismatches(parts, new DateOnly(1990, 1, 15), "2"));
        Assert.Empty(IdentityNumberFacts.Mismatches(parts, null, null));
        // 0 and 9 (unknown, unstated) are the sex code rule's business, not a mismatch.
        Assert.Empty(IdentityNumberFacts.Mismatches(parts, null, "9"));
    }

    [Fact]
    public void A_birth_date_or_sex_typed_otherwise_is_a_mismatch_at_its_field()
    {
        var parts = IdentityNumber.Parse("320213199001150026").Parts!;

        var mismatches = IdentityNumberFacts.Mismatches(parts, new DateOnly(1990, 5, 1), "1");

        Assert.Equal(
            [("birthDate", "birth-date.matches-id-number"), ("sex", "sex.matches-id-number")],
            mismatches.Select(m => (m.Field, m.Rule)));
        Assert.Contains("1990-01-15", mismatches[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_facts_printed_in_a_log_carry_no_birth_date()
    {
        var text = FactsOf("320213199001150026").ToString();

        Assert.DoesNotContain("1990", text, StringComparison.Ordinal);
        Assert.Contains("320213", text, StringComparison.Ordinal);
    }
}
