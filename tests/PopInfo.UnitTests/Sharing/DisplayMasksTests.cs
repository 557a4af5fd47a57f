using PopInfo.Domain.Records;
using PopInfo.Domain.Sharing;

namespace PopInfo.UnitTests.Sharing;

public class DisplayMasksTests
{
    [Theory]
    [InlineData(PersonFields.IdNumber, "32020219900307123X", "3202**********123X")]
    [InlineData(PersonFields.Phone, "13812345678", "138****5678")]
    [InlineData(PersonFields.Name, "张三丰", "张**")]
    [InlineData(PersonFields.Name, "𠮷野", "𠮷*")]
    [InlineData(PersonFields.Name, "王", "*")]
    [InlineData(PersonFields.BirthDate, "1990-03-07", "1990-**-**")]
    [InlineData(PersonFields.ResidenceAddress, "江苏省无锡市梁溪区崇安寺街道1号", "江苏省无锡市**********")]
    [InlineData(PersonFields.Phone, "1234567", "*******")]
    public void Masked_fields_keep_what_a_clerk_needs_to_compare(string field, string value, string expected)
    {
        Assert.Equal(expected, DisplayMasks.Apply(field, DisplayMasks.Masked, value));
    }

    [Fact]
    public void Plain_and_absent_values_pass_unchanged()
    {
        Assert.Equal("13812345678", DisplayMasks.Apply(PersonFields.Phone, DisplayMasks.Plain, "13812345678"));
        Assert.Null(DisplayMasks.Apply(PersonFields.Phone, DisplayMasks.Masked, null));
    }

    [Fact]
    public void A_field_without_a_mask_cannot_be_masked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DisplayMasks.Apply(PersonFields.Sex, DisplayMasks.Masked, "1"));
        Assert.All(DisplayMasks.Maskable, f => Assert.Contains(f, PersonFields.All));
    }
}
