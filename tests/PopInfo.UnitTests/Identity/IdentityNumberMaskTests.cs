using PopInfo.Domain.Identity;

namespace PopInfo.UnitTests.Identity;

public class IdentityNumberMaskTests
{
    [Fact]
    public void Mask_keeps_the_address_code_and_the_last_two_characters()
    {
        Assert.Equal("320205**********1X", IdentityNumber.Mask("32020519900101231X"));
    }

    [Fact]
    public void Mask_keeps_the_length_of_a_legacy_number()
    {
        Assert.Equal("110105*******02", IdentityNumber.Mask("110105491231002"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("12345678")]
    [InlineData("11010519491231")]
    public void Mask_of_missing_or_short_input_reveals_nothing(string? value)
    {
        Assert.Equal("***", IdentityNumber.Mask(value));
    }

    [Fact]
    public void Mask_never_keeps_more_than_8_of_the_original_characters()
    {
        var random = new Random(7);
        for (var length = 0; length <= 40; length++)
        {
            for (var i = 0; i < 50; i++)
            {
                var original = string.Create(length, random, static (span, r) =>
                {
                    for (var j = 0; j < span.Length; j++)
                    {
                        span[j] = (char)('0' + r.Next(10));
                    }
                });

                var masked = IdentityNumber.Mask(original);

                Assert.True(masked.Count(c => c != '*') <= 8, $"length {length} kept too much");
                if (length > 0)
                {
                    Assert.NotEqual(original, masked);
                }
            }
        }
    }

    [Fact]
    public void A_logged_parse_result_or_its_parts_never_show_the_full_number()
    {
        var valid = IdentityNumber.Parse("11010519491231002X");
        var invalid = IdentityNumber.Parse("110105194912310021");

        Assert.Equal("Valid identity number 110105**********2X", valid.ToString());
        Assert.DoesNotContain("19491231", valid.Parts!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("19491231", invalid.ToString(), StringComparison.Ordinal);
    }
}
