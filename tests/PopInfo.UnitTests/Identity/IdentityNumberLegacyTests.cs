using PopInfo.Domain.Identity;

namespace PopInfo.UnitTests.Identity;

public class IdentityNumberLegacyTests
{
    [Fact]
    public void A_legacy_number_gets_the_century_19_and_a_check_character()
    {
        Assert.Equal("11010519491231002X", IdentityNumber.FromLegacy15("110105491231002"));
    }

    [Theory]
    [InlineData("110105800101996", "11010518800101996X")]
    [InlineData("110105800101999", "110105188001019994")]
    [InlineData("110105800101995", "110105198001019950")]
    public void Sequences_996_to_999_were_centenarians_born_in_the_1800s(string legacy, string expected)
    {
        var converted = IdentityNumber.FromLegacy15(legacy);

        Assert.Equal(expected, converted);
        Assert.True(IdentityNumber.Parse(converted).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("11010549123100")]
    [InlineData("1101054912310021")]
    [InlineData("11010549123100X")]
    [InlineData("990105491231002")]
    [InlineData("110105490229002")]
    [InlineData("110105491301002")]
    public void A_malformed_legacy_number_is_rejected(string legacy)
    {
        Assert.Throws<ArgumentException>(() => IdentityNumber.FromLegacy15(legacy));
    }
}
