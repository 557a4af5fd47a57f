namespace PopInfo.Monitoring.Samples;

/// <summary>One figure of one subject, as the collector took it (ADR 0004 decision 1): no personal data, counts and states only.</summary>
public sealed record Sample(string Metric, string Subject, double Value);

/// <summary>The metrics the collector samples, by name: what each means is in docs/monitoring.md ("Samples").</summary>
public static class Metrics
{
    /// <summary>1 when a service answers <c>/health/live</c>, else 0 (subject: the service).</summary>
    public const string ServiceLive = "service.live";

    /// <summary>1 when a service answers <c>/health/ready</c> (its database, broker and read models), else 0.</summary>
    public const string ServiceReady = "service.ready";

    /// <summary>1 when RabbitMQ's management API answered (subject <c>broker</c>).</summary>
    public const string BrokerAnswered = "broker.answered";

    /// <summary>1 while a node has a memory or disk alarm (subject: the node).</summary>
    public const string BrokerAlarm = "broker.alarm";

    /// <summary>Messages in a queue, ready and unacknowledged (subject: <c>vhost/queue</c>), for the deepest queues.</summary>
    public const string QueueMessages = "queue.messages";

    /// <summary>Consumers of a queue (the deepest queues).</summary>
    public const string QueueConsumers = "queue.consumers";

    /// <summary>1 when PostgreSQL answered the monitoring role (subject <c>postgresql</c>).</summary>
    public const string DatabaseAnswered = "database.answered";

    /// <summary>Client connections (subject <c>postgresql</c>).</summary>
    public const string DatabaseConnections = "database.connections";

    /// <summary>Replay lag of a streaming replica in seconds (subject: the replica's name).</summary>
    public const string DatabaseReplicaLag = "database.replica_lag_seconds";

    /// <summary>WAL bytes a streaming replica has not replayed (subject: its slot's name): grows while its replay is stuck or it is away.</summary>
    public const string DatabaseReplicaBytesBehind = "database.replica_bytes_behind";

    /// <summary>The register's change log not yet published to the bus (subject <c>registry</c>).</summary>
    public const string RegistryRelayBacklog = "registry.relay_backlog";

    /// <summary>The register's last change-log sequence (subject <c>registry</c>).</summary>
    public const string RegistryLastSequence = "registry.last_sequence";

    /// <summary>Seconds a read model is behind the register (subject <c>sharing</c>, <c>analytics</c>).</summary>
    public const string ReadModelSecondsBehind = "readmodel.seconds_behind";

    /// <summary>Change-log sequences a read model is behind the register.</summary>
    public const string ReadModelSequencesBehind = "readmodel.sequences_behind";

    /// <summary>Events a department has not yet taken (subject: the department's code): the lag in sequence.</summary>
    public const string DepartmentBacklog = "department.backlog";

    /// <summary>How far behind a department is, in seconds.</summary>
    public const string DepartmentLagSeconds = "department.lag_seconds";

    /// <summary>The department's last event sequence.</summary>
    public const string DepartmentLastSequence = "department.last_sequence";

    /// <summary>The last sequence a department acknowledged from its queue.</summary>
    public const string DepartmentAcknowledged = "department.acknowledged";

    /// <summary>Consumers of the department's queue now.</summary>
    public const string DepartmentConsumers = "department.consumers";

    /// <summary>Events posted to the department's webhook and answered 2xx.</summary>
    public const string DepartmentWebhookDelivered = "department.webhook_delivered";

    /// <summary>Events waiting for the department's webhook (retrying).</summary>
    public const string DepartmentWebhookPending = "department.webhook_pending";

    /// <summary>The department's dead letters (webhook attempts given up).</summary>
    public const string DepartmentDeadLetters = "department.dead_letters";

    /// <summary>Events held behind a dead letter of the same person.</summary>
    public const string DepartmentHeld = "department.held";

    /// <summary>
    /// Items waiting in a service's outbox to the registry (subject <c>{service}/{outbox}</c>: <c>collection/submissions-unsent</c>,
    /// <c>collection/submissions-unanswered</c>, <c>exchange/inbound-unsent</c>, <c>exchange/inbound-unanswered</c>).
    /// </summary>
    public const string OutboxWaiting = "outbox.waiting";

    /// <summary>How long the oldest item of that outbox has waited, in seconds (0 when none waits).</summary>
    public const string OutboxOldestSeconds = "outbox.oldest_seconds";

    /// <summary>
    /// 1 when a community's day before today (China time) is not closed with every form dealt with (一日一清), sampled after
    /// that day's deadline (24:00 CST) passed; 0 once it is (subject: the community's code). Only communities with forms.
    /// </summary>
    public const string DeskDayNotCleared = "desk.day_not_cleared";

    /// <summary>Forms of a community's day before today entered after their day (late).</summary>
    public const string DeskFormsLate = "desk.forms_late";

    /// <summary>The prefix of a data-quality rule's count (subject: a region's code): <c>quality.missing-expected</c>, ….</summary>
    public const string QualityPrefix = "quality.";

    public static IReadOnlyList<string> All { get; } =
    [
        ServiceLive, ServiceReady, BrokerAnswered, BrokerAlarm, QueueMessages, QueueConsumers, DatabaseAnswered, DatabaseConnections,
        DatabaseReplicaLag, DatabaseReplicaBytesBehind, RegistryRelayBacklog, RegistryLastSequence, ReadModelSecondsBehind, ReadModelSequencesBehind, DepartmentBacklog,
        DepartmentLagSeconds, DepartmentLastSequence, DepartmentAcknowledged, DepartmentConsumers, DepartmentWebhookDelivered,
        DepartmentWebhookPending, DepartmentDeadLetters, DepartmentHeld, DeskDayNotCleared, DeskFormsLate, OutboxWaiting,
        OutboxOldestSeconds,
    ];

    /// <summary>A metric the collector takes: one of <see cref="All"/> or a data-quality rule's count.</summary>
    public static bool IsKnown(string? metric) =>
        metric is not null && (All.Contains(metric) || Domain.Quality.QualityRules.IsRule(metric));
}
