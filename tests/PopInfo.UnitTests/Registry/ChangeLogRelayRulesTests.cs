using PopInfo.Registry.Relay;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.UnitTests.Registry;

/// <summary>
/// The change-log relay's two rules of pace (ADR 0001): when it saves its position (a commit and an fsync), and when a
/// batch ends its look so that it sleeps until the next signal.
/// </summary>
public sealed class ChangeLogRelayRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Every = ChangeLogRelay.SaveEvery;
    private static readonly LeaseFence Fence = new("change-log-relay", "test", 1, TimeSpan.FromSeconds(15));

    [Fact]
    public void A_position_just_loaded_is_due_at_once()
    {
        Assert.True(new RelayPosition().SaveDue(Start, Every));
    }

    [Fact]
    public async Task After_a_save_the_next_is_due_only_once_its_interval_has_passed()
    {
        var position = new RelayPosition();

        // Nothing moved: no write (no store is needed), but the look counts as a save for the interval.
        await position.SaveAsync(store: null!, Start, Fence, CancellationToken.None);

        Assert.Equal(Start, position.SavedAt);
        Assert.False(position.SaveDue(Start, Every));
        Assert.False(position.SaveDue(Start + Every - TimeSpan.FromTicks(1), Every));
        Assert.True(position.SaveDue(Start + Every, Every));
    }

    [Fact]
    public void The_interval_is_a_quarter_of_a_second()
    {
        // At 200 changes/s a save per change doubled the database's commits; at most four saves a second bound what a crash
        // publishes again to about that many entries.
        Assert.Equal(TimeSpan.FromMilliseconds(250), ChangeLogRelay.SaveEvery);
    }

    [Theory]
    [InlineData(0, false, true)] // nothing waiting: sleep until signalled
    [InlineData(0, true, true)]
    [InlineData(1, false, true)] // a short batch from the primary read all that was committed before it
    [InlineData(499, false, true)]
    [InlineData(500, false, false)] // a full batch: more may be waiting
    [InlineData(1, true, false)] // a short batch from a replica may lack a change already signalled: look once more
    [InlineData(499, true, false)]
    [InlineData(500, true, false)]
    public void A_batch_ends_the_look_when_empty_or_short_and_read_on_the_primary(int sent, bool fromReplica, bool caughtUp)
    {
        Assert.Equal(caughtUp, ChangeLogRelay.IsCaughtUp(sent, batchSize: 500, fromReplica));
    }
}
