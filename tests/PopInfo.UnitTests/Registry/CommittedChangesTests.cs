using PopInfo.Contracts.Registry;
using PopInfo.Registry.Relay;

namespace PopInfo.UnitTests.Registry;

/// <summary>
/// The relay takes from memory only a run that continues its position without a gap; for anything else it reads the change
/// log. These check the run, the gap, the limit, that each change is taken once, and the bound.
/// </summary>
public sealed class CommittedChangesTests
{
    [Fact]
    public void A_run_after_the_position_is_taken_in_order_and_once()
    {
        var committed = new CommittedChanges();
        committed.Add(Change(12));
        committed.Add(Change(11));
        committed.Add(Change(13));

        Assert.Equal([11L, 12L, 13L], committed.TakeAfter(10, 500).Select(c => c.Sequence));
        Assert.Empty(committed.TakeAfter(13, 500));
        Assert.Equal(0, committed.Count);
    }

    [Fact]
    public void Nothing_is_taken_when_the_next_number_is_not_held_and_the_run_stops_at_a_gap()
    {
        var committed = new CommittedChanges();
        committed.Add(Change(12));
        committed.Add(Change(14));

        // 11 is not here (another instance's, or not handed over yet): the relay reads the log.
        Assert.Empty(committed.TakeAfter(10, 500));
        Assert.Equal(2, committed.Count);

        // After the log gave 11, the run is 12 only: 13 is missing.
        Assert.Equal([12L], committed.TakeAfter(11, 500).Select(c => c.Sequence));
        Assert.Equal(1, committed.Count);
    }

    [Fact]
    public void Changes_at_or_below_the_position_are_forgotten()
    {
        var committed = new CommittedChanges();
        committed.Add(Change(5));
        committed.Add(Change(6));
        committed.Add(Change(9));

        // The log gave everything up to 8: 5 and 6 are old, 9 continues.
        Assert.Equal([9L], committed.TakeAfter(8, 500).Select(c => c.Sequence));
        Assert.Equal(0, committed.Count);
    }

    [Fact]
    public void A_run_is_cut_at_the_limit_and_the_rest_stays()
    {
        var committed = new CommittedChanges();
        foreach (var sequence in Enumerable.Range(1, 5))
        {
            committed.Add(Change(sequence));
        }

        Assert.Equal([1L, 2L], committed.TakeAfter(0, 2).Select(c => c.Sequence));
        Assert.Equal([3L, 4L, 5L], committed.TakeAfter(2, 500).Select(c => c.Sequence));
    }

    [Fact]
    public void A_full_memory_forgets_all_and_keeps_the_newest()
    {
        var committed = new CommittedChanges();
        foreach (var sequence in Enumerable.Range(1, CommittedChanges.Capacity))
        {
            committed.Add(Change(sequence));
        }

        Assert.Equal(CommittedChanges.Capacity, committed.Count);
        committed.Add(Change(CommittedChanges.Capacity + 1));

        Assert.Equal(1, committed.Count);
        Assert.Empty(committed.TakeAfter(0, 500));
        Assert.Equal([CommittedChanges.Capacity + 1L], committed.TakeAfter(CommittedChanges.Capacity, 500).Select(c => c.Sequence));
    }

    private static PersonChanged Change(long sequence)
    {
        var person = new PersonRecord
        {
            PersonId = Guid.CreateVersion7(),
            IdNumber = "320202199001011234",
            Name = "n",
            Sex = "1",
            BirthDate = new DateOnly(1990, 1, 1),
            Ethnicity = "01",
            ResidenceType = "registered",
            Status = "living",
        };
        return new()
        {
            EventId = Guid.CreateVersion7(),
            Sequence = sequence,
            PersonId = person.PersonId,
            IdNumber = person.IdNumber,
            ChangeType = "registered",
            ChangedFields = ["name"],
            Version = 1,
            Person = person,
            OccurredAt = DateTimeOffset.UnixEpoch,
            RecordedAt = DateTimeOffset.UnixEpoch,
            Source = "api",
        };
    }
}
