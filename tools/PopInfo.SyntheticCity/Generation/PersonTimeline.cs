using PopInfo.Contracts.Registry;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>One version of a person as the register stores it: the record, what changed, when it happened and when the register learnt of it.</summary>
internal sealed record PersonVersion(PersonRecord Record, string ChangeType, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

/// <summary>A person's versions, oldest first (version numbers 1, 2, …); the last is the current row of <c>persons</c>, the others go to <c>person_history</c>.</summary>
internal sealed class PersonTimeline(IReadOnlyList<PersonVersion> versions)
{
    public IReadOnlyList<PersonVersion> Versions { get; } = versions;

    public PersonVersion Current => Versions[^1];

    public PersonRecord Record => Versions[^1].Record;

    /// <summary>The version in force at <paramref name="moment"/> (the highest whose occurred_at is not after it), or null before the first.</summary>
    public PersonVersion? AsOf(DateTimeOffset moment)
    {
        PersonVersion? found = null;
        foreach (var v in Versions)
        {
            if (v.OccurredAt <= moment)
            {
                found = v;
            }
        }

        return found;
    }

    /// <summary>Whether the person lived in the city at <paramref name="moment"/>: living, with a residence region.</summary>
    public bool LivesHereAt(DateTimeOffset moment) =>
        AsOf(moment)?.Record is { Status: "living", ResidenceRegionCode: not null };
}

/// <summary>
/// One household of the living city with its past: the household itself and any former households
/// derived from it (first the living one), and everyone's timeline — the living members first, in the
/// order of <see cref="GeneratedHousehold.Members"/>, then the people who are no longer there.
/// </summary>
internal sealed record CityUnit(GeneratedHousehold Household, IReadOnlyList<HouseholdRow> Households, IReadOnlyList<PersonTimeline> People);

/// <summary>A household row and when the register created it.</summary>
internal sealed record HouseholdRow(GeneratedHousehold Household, DateTimeOffset CreatedAt);
