using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Data;

/// <summary>
/// How far behind a replica is, from the primary's noted positions and the replica's replayed one (<see cref="ReplicaLag"/>),
/// and the watcher's step. On a real replica whose replay is paused: tests/PopInfo.IntegrationTests/Replica/ReplicaLagTests.
/// </summary>
public sealed class ReplicaLagTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_replica_that_replayed_every_noted_position_is_not_behind()
    {
        var lag = new ReplicaLag();
        lag.NotePrimary(T0, 1_000);
        lag.NotePrimary(T0.AddSeconds(1), 2_000);

        Assert.Equal(TimeSpan.Zero, lag.Behind(T0.AddSeconds(9), replayed: 2_000));
        Assert.Equal(0, lag.Noted);
    }

    [Fact]
    public void A_replica_is_behind_by_the_age_of_the_oldest_position_it_has_not_replayed()
    {
        var lag = new ReplicaLag();
        lag.NotePrimary(T0, 1_000);
        lag.NotePrimary(T0.AddSeconds(1), 2_000);
        lag.NotePrimary(T0.AddSeconds(2), 3_000);

        Assert.Equal(TimeSpan.FromSeconds(10), lag.Behind(T0.AddSeconds(10), replayed: 999));
        // Replaying the first leaves the second as the oldest not replayed.
        Assert.Equal(TimeSpan.FromSeconds(9), lag.Behind(T0.AddSeconds(10), replayed: 1_500));
        Assert.Equal(2, lag.Noted);
    }

    [Fact]
    public void An_idle_primary_is_never_taken_for_a_lagging_replica()
    {
        var lag = new ReplicaLag();
        for (var s = 0; s < 120; s++)
        {
            // No write for two minutes: the same position every time, replayed long ago.
            lag.NotePrimary(T0.AddSeconds(s), 5_000);
            Assert.Equal(TimeSpan.Zero, lag.Behind(T0.AddSeconds(s), replayed: 5_000));
        }
    }

    [Fact]
    public void The_same_position_noted_again_keeps_its_first_time()
    {
        var lag = new ReplicaLag();
        lag.NotePrimary(T0, 5_000);
        lag.NotePrimary(T0.AddSeconds(30), 5_000);

        Assert.Equal(TimeSpan.FromSeconds(40), lag.Behind(T0.AddSeconds(40), replayed: 4_000));
        Assert.Equal(1, lag.Noted);
    }

    [Fact]
    public void The_notes_are_bounded_and_the_oldest_are_kept()
    {
        var lag = new ReplicaLag();
        for (var i = 0; i < ReplicaLag.MaxNotes + 100; i++)
        {
            lag.NotePrimary(T0.AddSeconds(i), 1_000 + i);
        }

        Assert.Equal(ReplicaLag.MaxNotes, lag.Noted);
        Assert.Equal(TimeSpan.FromSeconds(10_000), lag.Behind(T0.AddSeconds(10_000), replayed: 0));
    }

    [Theory]
    [InlineData(1, 500)]
    [InlineData(30, 3_000)]
    [InlineData(3_600, 5_000)]
    public void The_watchers_step_is_a_tenth_of_the_allowed_lag_from_half_a_second_to_five(int maxLagSeconds, int stepMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(stepMilliseconds), ReplicaLagWatcher.IntervalFor(TimeSpan.FromSeconds(maxLagSeconds)));
}
