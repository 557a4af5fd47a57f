using Dapper;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Monitor;

/// <summary>
/// The exchange's outbox of departments' records to the registry as the monitoring service sees it: <c>inbound-unsent</c>
/// (records accepted, their command not yet handed to the broker) and <c>inbound-unanswered</c> (sent, the registry's
/// answer not come).
/// </summary>
public sealed class OutboxBacklogStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    public async Task<IReadOnlyList<OutboxBacklog>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var unsent = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            "SELECT COUNT(*) AS Waiting, MIN(received_at) AS OldestAt FROM inbound_records WHERE state = 'queued'", cancellationToken: ct));
        var unanswered = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            "SELECT COUNT(*) AS Waiting, MIN(sent_at) AS OldestAt FROM inbound_records WHERE state = 'sent'", cancellationToken: ct));
        return [new("inbound-unsent", unsent.Waiting, unsent.OldestAt), new("inbound-unanswered", unanswered.Waiting, unanswered.OldestAt)];
    }

    private sealed class Row
    {
        public long Waiting { get; init; }
        public DateTimeOffset? OldestAt { get; init; }
    }
}
