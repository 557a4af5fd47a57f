using PopInfo.Domain.Privacy;

namespace PopInfo.UnitTests.Privacy;

public class PersonalDataMaskTests
{
    [Theory]
    [InlineData("张三丰", "张**")]
    [InlineData("李四", "李*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("𠮷野家", "𠮷**")]
    [InlineData("王", "*")]
    [InlineData("", "***")]
    [InlineData(null, "***")]
    public void A_name_keeps_only_its_first_character(string? name, string expected)
    {
        Assert.Equal(expected, PersonalDataMask.MaskName(name));
    }

    [Theory]
    [InlineData("13812345678", "138******78")]
    [InlineData("138-1234-5678", "138-****-**78")]
    [InlineData("0510-85123456", "051*-******56")]
    [InlineData("123456", "***")]
    [InlineData("", "***")]
    [InlineData(null, "***")]
    public void A_phone_number_keeps_its_first_three_and_last_two_digits(string? phone, string expected)
    {
        Assert.Equal(expected, PersonalDataMask.MaskPhone(phone));
    }
}
