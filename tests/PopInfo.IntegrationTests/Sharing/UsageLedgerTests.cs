using PopInfo.Sharing.Grants;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The department's day count on one instance while its own commits are in flight: a read of the database that may
/// already hold a commit's items must not count them a second time (a refusal once reported 32 used of a quota of 30,
/// and such a count refuses requests that fit).
/// </summary>
public sealed class UsageLedgerTests
{
    private static readonly DateOnly Day = new(2026, 12, 7);

    [Fact]
    public void A_read_taken_while_a_commit_of_the_days_items_is_in_flight_does_not_count_them_twice()
    {
        var ledger = new UsageLedger();
        ledger.SawUse(Day, 0, now: 1, ledger.UseWritesBegun);
        Assert.Equal((true, 2L), ledger.TryReserve(Day, 2, dailyQuota: 30));

        // A request reads the database as the commit takes the two items (the read may come back with them or not).
        var writesBegun = ledger.UseWritesBegun;
        ledger.BeginWriting(Day, 2);
        ledger.SawUse(Day, 2, now: 2, writesBegun);

        // Counted once: 28 more fit exactly (counted twice, 4 + 28 would have been refused as 32).
        Assert.Equal((true, 30L), ledger.TryReserve(Day, 28, dailyQuota: 30));
        Assert.Equal((false, 30L), ledger.TryReserve(Day, 1, dailyQuota: 30));
    }

    [Fact]
    public void The_commits_own_total_then_counts_and_a_later_read_is_taken_again()
    {
        var ledger = new UsageLedger();
        ledger.SawUse(Day, 0, now: 1, ledger.UseWritesBegun);
        ledger.TryReserve(Day, 2, dailyQuota: 30);
        ledger.BeginWriting(Day, 2);
        Assert.False(ledger.UseStale(Day, now: long.MaxValue, freshTicks: 0));

        // Committed: the day's total in the database, another instance's 5 items with ours.
        ledger.Unreserve(Day, 2, total: 7, now: 3, written: true);
        Assert.True(ledger.UseStale(Day, now: long.MaxValue, freshTicks: 0));
        Assert.Equal((true, 30L), ledger.TryReserve(Day, 23, dailyQuota: 30));

        // A read with no commit in flight is taken (another instance's items, newer than what is known).
        ledger.Unreserve(Day, 23, total: null, now: 4, written: false);
        ledger.SawUse(Day, 12, now: 5, ledger.UseWritesBegun);
        Assert.Equal((false, 12L), ledger.TryReserve(Day, 19, dailyQuota: 30));
    }
}
