using Microsoft.Extensions.Options;
using PopInfo.Contracts.Registry;
using PopInfo.Exchange;
using PopInfo.Exchange.Projection;

namespace PopInfo.UnitTests.Exchange;

public class ChangeBufferTests
{
    private static ChangeBuffer Buffer(long bytes) => new(Options.Create(new ExchangeOptions { ChangeBufferBytes = bytes }));

    private static PersonChanged Change(long sequence) => new()
    {
        EventId = Guid.NewGuid(), Sequence = sequence, PersonId = Guid.NewGuid(), IdNumber = "", ChangeType = "registered", ChangedFields = [],
        Version = 1, OccurredAt = DateTimeOffset.UnixEpoch, RecordedAt = DateTimeOffset.UnixEpoch, Source = "api",
        Person = new PersonRecord
        {
            PersonId = Guid.NewGuid(), IdNumber = "", Name = "", Sex = "1", BirthDate = new DateOnly(1990, 1, 1), Ethnicity = "01",
            ResidenceType = "registered", Status = "living",
        },
    };

    [Fact]
    public void A_change_that_would_pass_the_bound_in_bytes_is_dropped_whatever_the_count()
    {
        var buffer = Buffer(10_000);

        Assert.True(buffer.Add(Change(1), 6_000));
        Assert.False(buffer.Add(Change(2), 6_000)); // 12,000 > 10,000: dropped, the feed gives it later
        Assert.True(buffer.Add(Change(3), 4_000)); // exactly at the bound: kept

        Assert.Equal((2, 10_000L), (buffer.Count, buffer.Bytes));
        Assert.Equal([1L], buffer.TakeRun(1, 10).Select(c => c.Sequence));
    }

    [Fact]
    public void Dropping_what_was_projected_gives_its_bytes_back()
    {
        var buffer = Buffer(3_000);
        Assert.True(buffer.Add(Change(1), 1_000));
        Assert.True(buffer.Add(Change(2), 2_000));
        Assert.False(buffer.Add(Change(3), 1_000));

        buffer.DropThrough(1);

        Assert.Equal((1, 2_000L), (buffer.Count, buffer.Bytes));
        Assert.True(buffer.Add(Change(3), 1_000));
        Assert.Equal([2L, 3L], buffer.TakeRun(2, 10).Select(c => c.Sequence));

        buffer.Clear();
        Assert.Equal((0, 0L), (buffer.Count, buffer.Bytes));
    }

    [Fact]
    public void A_repeat_of_a_waiting_change_weighs_nothing_and_an_unsized_one_weighs_the_assumed_size()
    {
        var buffer = Buffer(64 * 1024);
        var change = Change(7);

        Assert.True(buffer.Add(change, 500));
        Assert.True(buffer.Add(change, 500));
        Assert.True(buffer.Add(Change(8), null));

        Assert.Equal((2, 500 + ChangeBuffer.AssumedChangeBytes), (buffer.Count, buffer.Bytes));
    }
}
