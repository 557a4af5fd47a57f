using Dapper;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Monitor;

/// <summary>
/// The desk's outbox to the registry as the monitoring service sees it: <c>submissions-unsent</c> (commands not yet handed
/// to the broker) and <c>submissions-unanswered</c> (forms submitted whose registry answer has not come: sent or not).
/// </summary>
public sealed class OutboxBacklogStore([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database)
{
    public async Task<IReadOnlyList<OutboxBacklog>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var unsent = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            "SELECT COUNT(*) AS Waiting, MIN(created_at) AS OldestAt FROM submissions WHERE sent_at IS NULL", cancellationToken: ct));
        // A form submitted again after a rejection has several submissions: it waits since its latest.
        var unanswered = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            """
            SELECT COUNT(*) AS Waiting, MIN(latest) AS OldestAt
            FROM (SELECT MAX(s.created_at) AS latest FROM forms f JOIN submissions s ON s.form_id = f.id WHERE f.state = 'submitted' GROUP BY f.id) w
            """, cancellationToken: ct));
        return [new("submissions-unsent", unsent.Waiting, unsent.OldestAt), new("submissions-unanswered", unanswered.Waiting, unanswered.OldestAt)];
    }

    private sealed class Row
    {
        public long Waiting { get; init; }
        public DateTimeOffset? OldestAt { get; init; }
    }
}
