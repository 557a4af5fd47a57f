using Dapper;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Monitor;

/// <summary>The SQL of the departments' facts: inbound records per department and day received, deliveries per department and day made.</summary>
public sealed class DepartmentFactsStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    public sealed class DepartmentRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Amqp_User { get; init; }
    }

    /// <summary>Records of one department, day, state and event date (null: the kind has none, or the record was refused).</summary>
    public sealed class SupplyRow
    {
        public string Department_Code { get; init; } = "";
        public string Day { get; init; } = "";
        public string State { get; init; } = "";
        public string? Event_Date { get; init; }
        public long N { get; init; }
    }

    public sealed class ReceiptRow
    {
        public string Day { get; init; } = "";
        public long Delivered { get; init; }
        public long Acknowledged { get; init; }
        public long Acknowledged_In_Time { get; init; }
        public long Acknowledged_Untimed { get; init; }
    }

    public async Task<IReadOnlyList<DepartmentRow>> DepartmentsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<DepartmentRow>(new CommandDefinition(
            "SELECT code AS Code, name AS Name, amqp_user AS Amqp_User FROM departments ORDER BY code", cancellationToken: ct))];
    }

    /// <summary>Every department's records received in the range (days as yyyy-MM-dd in the city), by state and event date.</summary>
    public async Task<IReadOnlyList<SupplyRow>> SuppliedAsync(string from, string to, CancellationToken ct)
    {
        var dialect = database.Dialect;
        var day = dialect.ChinaDay("received_at");
        var eventDate = "CASE kind " + string.Concat(Assessment.EventDateFields.Select(f => $"WHEN '{f.Key}' THEN {dialect.JsonText("payload", f.Value)} ")) + "END";
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<SupplyRow>(new CommandDefinition(
            $"""
            SELECT department_code AS Department_Code, day AS Day, state AS State, event_date AS Event_Date, COUNT(*) AS N
            FROM (SELECT department_code, {day} AS day, state, CASE WHEN payload IS NULL THEN NULL ELSE {eventDate} END AS event_date
                  FROM inbound_records WHERE received_at >= @after AND received_at < @before) x
            WHERE day >= @from AND day <= @to
            GROUP BY department_code, day, state, event_date
            ORDER BY department_code, day
            """, new { from, to, after = Margin(from, -1), before = Margin(to, 2) }, cancellationToken: ct))];
    }

    // A coarse bound on the time column (a day either side), so that an index or a scan stops early; the exact test is on the city day.
    private static DateTimeOffset Margin(string day, int days) =>
        new DateTimeOffset(DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// One department's deliveries made in the range, by day: acknowledged (webhook 2xx, a feed read that covered it, or — when
    /// <paramref name="amqpAcknowledged"/> is known — consumed from its queue), and in time (webhook or feed within the target).
    /// </summary>
    public async Task<IReadOnlyList<ReceiptRow>> ReceivedAsync(string code, string from, string to, long? amqpAcknowledged, CancellationToken ct)
    {
        var dialect = database.Dialect;
        var first = dialect.JsonInteger("a.after", "first");
        var last = dialect.JsonInteger("a.after", "last");
        var target = Assessment.AcknowledgementTarget.TotalSeconds;
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<ReceiptRow>(new CommandDefinition(
            $"""
            SELECT day AS Day, COUNT(*) AS Delivered,
                   SUM(CASE WHEN webhook_ok = 1 OR feed_at IS NOT NULL OR amqp_ok = 1 THEN 1 ELSE 0 END) AS Acknowledged,
                   SUM(CASE WHEN in_time = 1 THEN 1 ELSE 0 END) AS Acknowledged_In_Time,
                   SUM(CASE WHEN in_time = 0 AND amqp_ok = 1 THEN 1 ELSE 0 END) AS Acknowledged_Untimed
            FROM (SELECT day, webhook_ok, feed_at, amqp_ok,
                         CASE WHEN (webhook_ok = 1 AND webhook_at <= made_at + @target) OR (feed_at IS NOT NULL AND feed_at <= made_at + @target)
                              THEN 1 ELSE 0 END AS in_time
                  FROM (SELECT {dialect.ChinaDay("d.created_at")} AS day, {dialect.EpochSeconds("d.created_at")} AS made_at,
                               CASE WHEN d.webhook_state = 'delivered' THEN 1 ELSE 0 END AS webhook_ok,
                               {dialect.EpochSeconds("d.webhook_at")} AS webhook_at,
                               (SELECT MIN({dialect.EpochSeconds("a.at")}) FROM audit_log a
                                WHERE a.department_code = d.department_code AND a.action = 'feed.read' AND {first} <= d.sequence AND {last} >= d.sequence) AS feed_at,
                               CASE WHEN d.sequence <= @amqpAcknowledged THEN 1 ELSE 0 END AS amqp_ok
                        FROM deliveries d WHERE d.department_code = @code AND d.created_at >= @after AND d.created_at < @before) y
                  WHERE day >= @from AND day <= @to) x
            GROUP BY day
            ORDER BY day
            """, new { code, from, to, target, amqpAcknowledged, after = Margin(from, -1), before = Margin(to, 2) }, cancellationToken: ct))];
    }
}
