using PopInfo.Domain.Identity;

namespace PopInfo.UnitTests.Identity;

public class IdentityNumberCreateTests
{
    private static readonly string[] AddressCodes =
        ["320205", "320206", "320211", "320213", "320214", "320281", "320282", "320202", "110105", "440304", "650102", "810000", "830000"];

    [Fact]
    public void Create_builds_the_standards_example()
    {
        Assert.Equal("11010519491231002X", IdentityNumber.Create("110105", new DateOnly(1949, 12, 31), 2));
    }

    [Fact]
    public void Create_round_trips_through_parse_for_many_random_inputs()
    {
        // Seeded so a failure can be reproduced.
        var random = new Random(20201101);
        var first = new DateOnly(1800, 1, 1).DayNumber;
        var last = new DateOnly(2030, 12, 31).DayNumber;

        for (var i = 0; i < 20_000; i++)
        {
            var addressCode = AddressCodes[random.Next(AddressCodes.Length)];
            var birthDate = DateOnly.FromDayNumber(random.Next(first, last + 1));
            var sequence = random.Next(0, 1000);

            var number = IdentityNumber.Create(addressCode, birthDate, sequence);
            var result = IdentityNumber.Parse(number);

            Assert.True(result.IsValid, $"{IdentityNumber.Mask(number)}: {result.Message}");
            Assert.Equal(number, result.Normalized);
            Assert.Equal(new IdentityNumberParts(addressCode, birthDate, sequence, number[17]), result.Parts);
        }
    }

    [Fact]
    public void Create_pads_the_sequence_to_three_digits()
    {
        var number = IdentityNumber.Create("320205", new DateOnly(1990, 1, 1), 7);

        Assert.Equal("007", number[14..17]);
    }

    [Theory]
    [InlineData("32020")]
    [InlineData("3202050")]
    [InlineData("32O205")]
    [InlineData("990205")]
    public void Create_rejects_an_address_code_that_is_not_six_digits_of_a_known_province(string addressCode)
    {
        Assert.Throws<ArgumentException>(() => IdentityNumber.Create(addressCode, new DateOnly(1990, 1, 1), 1));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Create_rejects_a_sequence_outside_0_to_999(int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IdentityNumber.Create("320205", new DateOnly(1990, 1, 1), sequence));
    }

    [Fact]
    public void Create_rejects_a_birth_year_before_1800()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IdentityNumber.Create("320205", new DateOnly(1799, 12, 31), 1));
    }
}
