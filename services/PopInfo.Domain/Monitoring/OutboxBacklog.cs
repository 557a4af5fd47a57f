namespace PopInfo.Domain.Monitoring;

/// <summary>
/// One of a service's outboxes as the monitoring service samples it (<c>GET /api/v1/monitor/outbox</c>): its name, the
/// items waiting in it and since when the oldest waits (null when none). Counts only.
/// </summary>
public sealed record OutboxBacklog(string Outbox, long Waiting, DateTimeOffset? OldestAt);
