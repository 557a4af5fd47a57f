using PopInfo.Domain.Records;

namespace PopInfo.UnitTests.Records;

public class PersonDatesTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Fact]
    public void Today_is_not_in_the_future_tomorrow_is()
    {
        Assert.False(PersonDates.IsInFuture(Today, Today));
        Assert.True(PersonDates.IsInFuture(Today.AddDays(1), Today));
    }

    [Fact]
    public void The_earliest_birth_is_the_first_of_january_1890()
    {
        Assert.Equal(new DateOnly(1890, 1, 1), PersonDates.EarliestBirth);
        Assert.False(PersonDates.IsBeforeEarliestBirth(new DateOnly(1890, 1, 1)));
        Assert.True(PersonDates.IsBeforeEarliestBirth(new DateOnly(1889, 12, 31)));
    }

    [Fact]
    public void An_event_is_neither_in_the_future_nor_before_the_birth()
    {
        var born = new DateOnly(2000, 2, 29);
        Assert.Null(PersonDates.CheckEvent("moveDate", born, Today, born));
        Assert.Null(PersonDates.CheckEvent("moveDate", Today, Today, born));
        Assert.Equal(new RuleBreach("moveDate", "date.not-in-future", "The date is in the future."), PersonDates.CheckEvent("moveDate", Today.AddDays(1), Today, born));
        Assert.Equal(new RuleBreach("departureDate", "date.not-before-birth", "The date is before the person's birth."),
            PersonDates.CheckEvent("departureDate", born.AddDays(-1), Today, born));
    }
}
