using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Monitor;

/// <summary>The SQL of the clearing facts: forms per community and day, with their first submission and any rejection; closed days.</summary>
public sealed class ClearingFactsStore([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database)
{
    /// <summary>One community's day, summed over its forms. Classes with init properties: SQLite hands back integers and text.</summary>
    public sealed class DayRow
    {
        public string Community_Code { get; init; } = "";
        public string Street_Code { get; init; } = "";
        public string Day { get; init; } = "";
        public long Forms { get; init; }
        public long Late { get; init; }
        public long Submitted_Same_Day { get; init; }
        public long Submitted_Later { get; init; }
        public long Withdrawn_Unsubmitted { get; init; }
        public long Drafts { get; init; }
        public long Pending { get; init; }
        public long Accepted { get; init; }
        public long Accepted_First_Time { get; init; }
        public long Rejected { get; init; }
        public long Rejected_Ever { get; init; }
        public long Withdrawn { get; init; }
    }

    public sealed class ClosedRow
    {
        public string Community_Code { get; init; } = "";
        public string Day { get; init; } = "";
        public DateTimeOffset Closed_At { get; init; }
    }

    /// <summary>Every community's days with forms in the range (days are yyyy-MM-dd text: compared as text), of one street or all.</summary>
    public async Task<(IReadOnlyList<DayRow> Days, IReadOnlyList<ClosedRow> Closed)> ReadAsync(string from, string to, string? street, IReadOnlyList<string>? communities, CancellationToken ct)
    {
        var dialect = database.Dialect;
        var inStreet = communities is null ? "" : $"AND {dialect.In("community_code", "communities")}";
        var firstDay = dialect.ChinaDay("x.first_submitted_at");
        var sql = $"""
            SELECT community_code AS Community_Code, street_code AS Street_Code, day AS Day,
                   COUNT(*) AS Forms,
                   SUM(CASE WHEN late THEN 1 ELSE 0 END) AS Late,
                   SUM(CASE WHEN first_submitted_at IS NOT NULL AND {firstDay} <= day THEN 1 ELSE 0 END) AS Submitted_Same_Day,
                   SUM(CASE WHEN first_submitted_at IS NOT NULL AND {firstDay} > day THEN 1 ELSE 0 END) AS Submitted_Later,
                   SUM(CASE WHEN state = 'withdrawn' AND first_submitted_at IS NULL THEN 1 ELSE 0 END) AS Withdrawn_Unsubmitted,
                   SUM(CASE WHEN state = 'draft' THEN 1 ELSE 0 END) AS Drafts,
                   SUM(CASE WHEN state = 'submitted' THEN 1 ELSE 0 END) AS Pending,
                   SUM(CASE WHEN state = 'accepted' THEN 1 ELSE 0 END) AS Accepted,
                   SUM(CASE WHEN state = 'accepted' AND rejections = 0 THEN 1 ELSE 0 END) AS Accepted_First_Time,
                   SUM(CASE WHEN state = 'rejected' THEN 1 ELSE 0 END) AS Rejected,
                   SUM(CASE WHEN rejections > 0 THEN 1 ELSE 0 END) AS Rejected_Ever,
                   SUM(CASE WHEN state = 'withdrawn' THEN 1 ELSE 0 END) AS Withdrawn
            FROM (SELECT f.community_code, f.street_code, f.day, f.late, f.state,
                         (SELECT MIN(e.at) FROM form_events e WHERE e.form_id = f.id AND e.event = 'submitted') AS first_submitted_at,
                         (SELECT COUNT(*) FROM form_events e WHERE e.form_id = f.id AND e.event = 'rejected') AS rejections
                  FROM forms f
                  WHERE f.day >= @from AND f.day <= @to AND (@street IS NULL OR f.street_code = @street)) x
            GROUP BY community_code, street_code, day
            ORDER BY community_code, day
            """;
        await using var connection = await database.OpenConnectionAsync(ct);
        var days = (await connection.QueryAsync<DayRow>(new CommandDefinition(sql, new { from, to, street }, cancellationToken: ct))).ToList();
        var closed = (await connection.QueryAsync<ClosedRow>(new CommandDefinition(
            $"SELECT community_code AS Community_Code, day AS Day, closed_at AS Closed_At FROM closed_days WHERE day >= @from AND day <= @to {inStreet} ORDER BY community_code, day",
            new { from, to, communities = communities?.ToArray() }, cancellationToken: ct))).ToList();
        return (days, closed);
    }
}
