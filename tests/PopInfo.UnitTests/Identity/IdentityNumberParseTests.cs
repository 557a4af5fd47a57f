using PopInfo.Domain.Identity;

namespace PopInfo.UnitTests.Identity;

public class IdentityNumberParseTests
{
    // The example printed in GB 11643-1999 itself.
    private const string StandardExample = "11010519491231002X";

    [Fact]
    public void The_standards_own_example_is_valid()
    {
        var result = IdentityNumber.Parse(StandardExample);

        Assert.True(result.IsValid);
        Assert.Equal(StandardExample, result.Normalized);
        Assert.Null(result.FailedRule);
        Assert.Null(result.Message);
    }

    [Fact]
    public void A_valid_number_exposes_its_parts()
    {
        var result = IdentityNumber.Parse(StandardExample);

        Assert.True(result.IsValid);
        Assert.Equal("110105", result.Parts.AddressCode);
        Assert.Equal(new DateOnly(1949, 12, 31), result.Parts.BirthDate);
        Assert.Equal(2, result.Parts.Sequence);
        Assert.Equal('X', result.Parts.CheckCharacter);
    }

    [Theory]
    [InlineData("320211198808084325", false, "2")]
    [InlineData("320205199001011237", true, "1")]
    public void The_sequence_parity_gives_the_sex(string number, bool isMale, string sexCode)
    {
        var parts = IdentityNumber.Parse(number).Parts!;

        Assert.Equal(isMale, parts.IsMale);
        Assert.Equal(sexCode, parts.SexCode);
    }

    [Fact]
    public void A_lowercase_x_check_character_is_accepted_and_normalised()
    {
        var result = IdentityNumber.Parse("11010519491231002x");

        Assert.True(result.IsValid);
        Assert.Equal(StandardExample, result.Normalized);
        Assert.Equal('X', result.Parts.CheckCharacter);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_number_fails_the_required_rule(string? value)
    {
        AssertFails(value, IdentityNumberRules.Required);
    }

    [Theory]
    [InlineData("11010519491231002")]
    [InlineData("11010519491231002X0")]
    [InlineData("110105491231002")]
    [InlineData(" ")]
    public void A_number_that_is_not_18_characters_long_fails_the_length_rule(string value)
    {
        AssertFails(value, IdentityNumberRules.Length);
    }

    [Theory]
    [InlineData(" 1010519491231002X")]
    [InlineData("11010519491231002 ")]
    [InlineData("1101051949123100AX")]
    [InlineData("11010519491231002Y")]
    [InlineData("11010519491231002-")]
    [InlineData("１1010519491231002X")]
    [InlineData("١1010519491231002X")]
    public void A_space_letter_or_non_ascii_digit_fails_the_characters_rule(string value)
    {
        AssertFails(value, IdentityNumberRules.Characters);
    }

    [Theory]
    [InlineData("X1010519491231002X")]
    [InlineData("1101051949123100XX")]
    [InlineData("1101051949123100x2")]
    public void An_X_anywhere_but_the_last_place_fails_the_characters_rule(string value)
    {
        var result = AssertFails(value, IdentityNumberRules.Characters);

        Assert.Contains("only as the 18th", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("99")]
    [InlineData("10")]
    [InlineData("24")]
    [InlineData("84")]
    public void A_number_whose_first_two_digits_are_no_province_fails_the_province_rule(string prefix)
    {
        AssertFails(WithCheckCharacter(prefix + "010519491231002"), IdentityNumberRules.Province);
    }

    [Theory]
    [InlineData("71")]
    [InlineData("81")]
    [InlineData("82")]
    [InlineData("83")]
    public void Taiwan_Hong_Kong_Macao_and_residence_permit_prefixes_are_accepted(string prefix)
    {
        Assert.True(IdentityNumber.Parse(WithCheckCharacter(prefix + "000019900101001")).IsValid);
    }

    [Fact]
    public void An_old_county_code_that_no_longer_exists_is_accepted()
    {
        // 320202 was 崇安区, merged into 梁溪区 in 2015; numbers issued before keep it for life.
        Assert.True(IdentityNumber.Parse(WithCheckCharacter("32020219800101001")).IsValid);
    }

    [Theory]
    [InlineData("20230229")]
    [InlineData("19000229")]
    [InlineData("19901301")]
    [InlineData("19900001")]
    [InlineData("19900100")]
    [InlineData("19900431")]
    [InlineData("17991231")]
    public void A_birth_date_that_is_not_a_real_date_from_1800_on_fails_the_birth_date_rule(string birthDate)
    {
        AssertFails(WithCheckCharacter("320205" + birthDate + "001"), IdentityNumberRules.BirthDate);
    }

    [Fact]
    public void February_29_of_a_leap_year_is_a_real_birth_date()
    {
        var result = IdentityNumber.Parse(WithCheckCharacter("44030420000229002"));

        Assert.True(result.IsValid);
        Assert.Equal(new DateOnly(2000, 2, 29), result.Parts.BirthDate);
    }

    [Fact]
    public void A_future_birth_date_is_left_to_the_caller_because_parse_has_no_clock()
    {
        var result = IdentityNumber.Parse(WithCheckCharacter("32020521990101001"));

        Assert.True(result.IsValid);
        Assert.Equal(new DateOnly(2199, 1, 1), result.Parts.BirthDate);
    }

    [Fact]
    public void A_wrong_check_character_fails_and_the_message_names_the_right_one()
    {
        var result = AssertFails("110105194912310021", IdentityNumberRules.CheckCharacter);

        Assert.Equal("The check character should be 'X' (ISO 7064 MOD 11-2).", result.Message);
    }

    [Fact]
    public void The_first_failing_rule_is_reported_when_several_fail()
    {
        // Bad province, impossible date and wrong check character: the province comes first.
        AssertFails("990105194902300021", IdentityNumberRules.Province);
    }

    [Theory]
    [InlineData("110105194912310021")]
    [InlineData("990105194912310021")]
    [InlineData("320205202302290011")]
    [InlineData("1101051949123100AX")]
    public void A_failure_message_never_repeats_the_number(string value)
    {
        var result = IdentityNumber.Parse(value);

        Assert.False(result.IsValid);
        Assert.DoesNotContain(value, result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(value[6..14], result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_check_character_matches_the_standards_example()
    {
        Assert.Equal('X', IdentityNumber.ComputeCheckCharacter("11010519491231002"));
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    [InlineData("1101051949123100A")]
    public void Compute_check_character_rejects_anything_but_17_digits(string digits)
    {
        Assert.Throws<ArgumentException>(() => IdentityNumber.ComputeCheckCharacter(digits));
    }

    internal static string WithCheckCharacter(string first17) =>
        first17 + IdentityNumber.ComputeCheckCharacter(first17);

    private static IdentityNumberResult AssertFails(string? value, string rule)
    {
        var result = IdentityNumber.Parse(value);

        Assert.False(result.IsValid);
        Assert.Equal(rule, result.FailedRule);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.Null(result.Normalized);
        Assert.Null(result.Parts);
        return result;
    }
}
