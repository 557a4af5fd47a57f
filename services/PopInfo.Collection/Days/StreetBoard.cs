namespace PopInfo.Collection.Days;

/// <summary>
/// The supervisor's board: every community of a street on each of the days shown, newest first (<see cref="Days"/>[0] is
/// <see cref="To"/>, by default today in the city). Read the same way as the daily reports (<see cref="DayService"/>).
/// </summary>
public sealed record StreetBoard(
    string StreetCode,
    string StreetName,
    string From,
    string To,
    DateTimeOffset ReadAt,
    IReadOnlyList<string> Days,
    IReadOnlyList<BoardDaySummary> Summary,
    IReadOnlyList<BoardCommunity> Communities);

/// <summary>One community's row of the board: its days in the order of <see cref="StreetBoard.Days"/>.</summary>
public sealed record BoardCommunity(string CommunityCode, string CommunityName, IReadOnlyList<BoardDay> Days);

/// <summary>One community's day: cleared (一日一清: nothing left to do), closed by the collector (when, by whom), and its counts.</summary>
public sealed record BoardDay(string Day, bool Cleared, bool Closed, DateTimeOffset? ClosedAt, string? ClosedBy, FormCounts Counts);

/// <summary>The street on one day: how many of its communities have cleared and closed it, and the forms of all of them.</summary>
public sealed record BoardDaySummary(string Day, int Communities, int Cleared, int Closed, FormCounts Totals);
