namespace PopInfo.Domain.Records;

/// <summary>
/// The limits on a person's dates, "today" being the city's date (<see cref="Statistics.ChinaTime.Today"/>): nothing
/// in the future, no birth before 1890, no event before the birth.
/// </summary>
public static class PersonDates
{
    /// <summary>The earliest birth date the register accepts.</summary>
    public static readonly DateOnly EarliestBirth = new(1890, 1, 1);

    public static bool IsInFuture(DateOnly date, DateOnly today) => date > today;

    public static bool IsBeforeEarliestBirth(DateOnly birthDate) => birthDate < EarliestBirth;

    /// <summary>
    /// An event of a command (a move, a departure) on a person born on <paramref name="birthDate"/>: refused when it
    /// is in the future or before the birth.
    /// </summary>
    public static RuleBreach? CheckEvent(string field, DateOnly date, DateOnly today, DateOnly birthDate)
    {
        if (IsInFuture(date, today))
        {
            return new(field, PersonRules.DateNotInFuture, "The date is in the future.");
        }

        return date < birthDate ? new(field, PersonRules.DateNotBeforeBirth, "The date is before the person's birth.") : null;
    }
}
