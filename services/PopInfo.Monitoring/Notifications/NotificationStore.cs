using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Monitoring.Notifications;

/// <summary>A notification waiting to be posted.</summary>
public sealed class DueNotification
{
    public long Id { get; init; }
    public string EventId { get; init; } = "";
    public string Body { get; init; } = "";
    public int Attempts { get; init; }
}

/// <summary>The alerts' notifications outbox (<c>notifications</c>): what is due, and each attempt's outcome.</summary>
public sealed class NotificationStore([FromKeyedServices(MonitoringModule.Name)] ServiceDatabase database)
{
    public async Task<IReadOnlyList<DueNotification>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<DueNotification>(new CommandDefinition(DueSql(database.Dialect), new { now, limit }, cancellationToken: ct))).AsList();
    }

    internal static string DueSql(SqlDialect dialect) =>
        $"""
        SELECT id AS Id, event_id AS EventId, body AS Body, attempts AS Attempts FROM notifications
        WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= @now ORDER BY id{dialect.Limit("@limit")}
        """;

    public async Task MarkSentAsync(long id, DateTimeOffset now, string status, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET sent_at = @now, attempts = attempts + 1, last_status = @status WHERE id = @id AND sent_at IS NULL",
            new { id, now, status }, cancellationToken: ct));
    }

    /// <summary>Records a failed attempt: tried again at <paramref name="next"/>, or given up when there is none.</summary>
    public async Task MarkFailedAsync(long id, DateTimeOffset now, DateTimeOffset? next, string status, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            next is { } at
                ? "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = @at, last_status = @status WHERE id = @id AND sent_at IS NULL"
                : "UPDATE notifications SET attempts = attempts + 1, given_up_at = @now, last_status = @status WHERE id = @id AND sent_at IS NULL",
            new { id, now, at = next ?? now, status }, cancellationToken: ct));
    }

    /// <summary>Notifications not yet sent nor given up, and those given up (for the dashboard and the health of the webhook).</summary>
    public async Task<(long Pending, long GivenUp)> CountsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL AND given_up_at IS NULL THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN given_up_at IS NOT NULL THEN 1 ELSE 0 END), 0)
            FROM notifications
            """, cancellationToken: ct));
        return row;
    }
}
