using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Days;

/// <summary>
/// The SQL of daily clearing: the forms of communities over a range of days counted by type and state, the closed days, the
/// forms in the way of closing, and closing a day. Days are yyyy-MM-dd text, so a range is a comparison of text. One query
/// answers any number of communities and days (the board's street × days is two queries, not one per cell). Runs in the
/// caller's work: its transaction (closing a day), its snapshot (the day sheet) or none (the reports, the board).
/// </summary>
internal sealed class DayStore(UnitOfWork work)
{
    private readonly DbConnection connection = work.Connection;
    private readonly DbTransaction? transaction = work.Transaction;
    private readonly SqlDialect dialect = work.Dialect;

    // Classes with init properties rather than positional records: SQLite hands back INTEGER for booleans and TEXT
    // for times, which Dapper converts for properties but not for constructor arguments.
    public sealed class CountRow
    {
        public string Community_Code { get; init; } = "";
        public string Day { get; init; } = "";
        public string Form_Type { get; init; } = "";
        public string State { get; init; } = "";
        public bool Late { get; init; }
        public long N { get; init; }

        /// <summary>How many of the <see cref="N"/> forms were sent to the registry at least once.</summary>
        public long Sent { get; init; }
    }

    public sealed class ClosedRow
    {
        public string Community_Code { get; init; } = "";
        public string Day { get; init; } = "";
        public DateTimeOffset Closed_At { get; init; }
        public string Closed_By { get; init; } = "";
    }

    public async Task<IReadOnlyList<CountRow>> CountsAsync(IReadOnlyList<string> communities, string from, string to, CancellationToken ct) =>
        [.. await connection.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT community_code AS Community_Code, day AS Day, form_type AS Form_Type, state AS State, late AS Late, COUNT(*) AS N,
                   SUM(CASE WHEN submitted_at IS NULL THEN 0 ELSE 1 END) AS Sent
            FROM forms WHERE {dialect.In("community_code", "communities")} AND day >= @from AND day <= @to
            GROUP BY community_code, day, form_type, state, late
            """, new { communities = communities.ToArray(), from, to }, transaction, cancellationToken: ct))];

    public async Task<IReadOnlyList<ClosedRow>> ClosedAsync(IReadOnlyList<string> communities, string from, string to, CancellationToken ct) =>
        [.. await connection.QueryAsync<ClosedRow>(new CommandDefinition(
            $"""
            SELECT community_code AS Community_Code, day AS Day, closed_at AS Closed_At, closed_by AS Closed_By
            FROM closed_days WHERE {dialect.In("community_code", "communities")} AND day >= @from AND day <= @to
            """, new { communities = communities.ToArray(), from, to }, transaction, cancellationToken: ct))];

    /// <summary>The forms of the day that keep it from being cleared: drafts, forms waiting for the registry, rejected forms.</summary>
    public async Task<ILookup<string, Guid>> BlockingAsync(IReadOnlyList<string> communities, string day, CancellationToken ct) =>
        (await connection.QueryAsync<(string Community, Guid Id)>(new CommandDefinition(
            $"SELECT community_code, id FROM forms WHERE {dialect.In("community_code", "communities")} AND day = @day AND state IN ('draft', 'submitted', 'rejected') ORDER BY created_at",
            new { communities = communities.ToArray(), day }, transaction, cancellationToken: ct))).ToLookup(b => b.Community, b => b.Id);

    public Task CloseAsync(string community, string day, DateTimeOffset now, string by, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO closed_days (community_code, day, closed_at, closed_by) VALUES (@community, @day, @now, @by)",
            new { community, day, now, by }, transaction, cancellationToken: ct));
}
