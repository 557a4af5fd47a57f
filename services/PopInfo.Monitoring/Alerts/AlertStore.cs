using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Monitoring.Alerts;

/// <summary>The alert rules, the alerts and their notifications' outbox rows (<c>alert_rules</c>, <c>alerts</c>, <c>notifications</c>).</summary>
public sealed class AlertStore([FromKeyedServices(MonitoringModule.Name)] ServiceDatabase database)
{
    private const string RuleColumns =
        "code AS Code, metric AS Metric, comparison AS Comparison, threshold AS Threshold, duration_seconds AS DurationSeconds, " +
        "severity AS Severity, enabled AS Enabled, description AS Description, version AS Version, changed_at AS ChangedAt, changed_by AS ChangedBy";

    private const string AlertColumns =
        "id AS Id, rule_code AS RuleCode, rule_version AS RuleVersion, subject AS Subject, metric AS Metric, comparison AS Comparison, " +
        "threshold AS Threshold, severity AS Severity, held_since AS HeldSince, fired_at AS FiredAt, fired_value AS FiredValue, " +
        "last_value AS LastValue, last_seen_at AS LastSeenAt, ended_at AS EndedAt, acknowledged_at AS AcknowledgedAt, acknowledged_by AS AcknowledgedBy";

    public async Task<IReadOnlyList<AlertRule>> RulesAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<AlertRule>(new CommandDefinition($"SELECT {RuleColumns} FROM alert_rules ORDER BY code", cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<Alert>> OpenAlertsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Alert>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM alerts WHERE ended_at IS NULL ORDER BY id", cancellationToken: ct))).AsList();
    }

    /// <summary>Alerts newest first: open ones only, or all; before an id (keyset paging), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Alert>> ListAsync(bool openOnly, long? beforeId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Alert>(new CommandDefinition(ListSql(database.Dialect, openOnly), new { beforeId, limit }, cancellationToken: ct))).AsList();
    }

    internal static string ListSql(SqlDialect dialect) => ListSql(dialect, openOnly: true);

    // "Open only" chosen here, not by a boolean parameter: SQL Server has no boolean type to compare it with.
    private static string ListSql(SqlDialect dialect, bool openOnly) =>
        $"""
        SELECT {AlertColumns} FROM alerts
        WHERE {(openOnly ? "ended_at IS NULL AND " : "")}(@beforeId IS NULL OR id < @beforeId)
        ORDER BY id DESC{dialect.Limit("@limit")}
        """;

    internal static string OpenSql(SqlDialect dialect) =>
        $"""
        INSERT INTO alerts (rule_code, rule_version, subject, metric, comparison, threshold, severity, held_since, fired_at, fired_value,
                            last_value, last_seen_at){dialect.Output("id")}
        VALUES (@Code, @Version, @subject, @Metric, @Comparison, @Threshold, @Severity, @heldSince, @now, @value, @value, @seenAt){dialect.Returning("id")}
        """;

    internal static string LockAlertSql(SqlDialect dialect) => $"SELECT {AlertColumns} FROM alerts{dialect.UpdateLockHint} WHERE id = @id{dialect.ForUpdate}";

    internal static string LockRuleSql(SqlDialect dialect) => $"SELECT {RuleColumns} FROM alert_rules{dialect.UpdateLockHint} WHERE code = @Code{dialect.ForUpdate}";

    internal static string ActionsSql(SqlDialect dialect) =>
        $"""
        SELECT id AS Id, at AS At, actor AS Actor, action AS Action, subject AS Subject, before AS Before, after AS After
        FROM operator_actions WHERE (@beforeId IS NULL OR id < @beforeId) ORDER BY id DESC{dialect.Limit("@limit")}
        """;

    public async Task<Alert?> AlertAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Alert>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM alerts WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// Opens an alert and, when <paramref name="notification"/> makes one, its notification, in one transaction. Null when
    /// an alert of the rule and subject is open already (another evaluator opened it: the unique index refuses a second).
    /// </summary>
    public async Task<Alert?> OpenAsync(AlertRule rule, string subject, ConditionState state, DateTimeOffset now, Func<Alert, PendingNotification?> notification,
        CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(OpenSql(database.Dialect),
                new
                {
                    rule.Code, rule.Version, subject, rule.Metric, rule.Comparison, rule.Threshold, rule.Severity, heldSince = state.HeldSince!.Value, now,
                    value = state.LastValue!.Value, seenAt = state.LastTakenAt!.Value,
                }, transaction, cancellationToken: ct));
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e, out _))
        {
            return null;
        }

        var alert = await connection.QuerySingleAsync<Alert>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM alerts WHERE id = @id", new { id }, transaction, cancellationToken: ct));
        await AddNotificationAsync(connection, transaction, notification(alert), ct);
        await transaction.CommitAsync(ct);
        return alert;
    }

    /// <summary>Ends an open alert (and writes its notification) in one transaction; false when it had ended already.</summary>
    public async Task<bool> EndAsync(Alert alert, double lastValue, DateTimeOffset seenAt, DateTimeOffset now, Func<Alert, PendingNotification?> notification,
        CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ended = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET ended_at = @now, last_value = @lastValue, last_seen_at = @seenAt WHERE id = @Id AND ended_at IS NULL",
            new { now, lastValue, seenAt, alert.Id }, transaction, cancellationToken: ct));
        if (ended == 0)
        {
            return false;
        }

        var stored = await connection.QuerySingleAsync<Alert>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM alerts WHERE id = @Id", new { alert.Id }, transaction, cancellationToken: ct));
        await AddNotificationAsync(connection, transaction, notification(stored), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Keeps an open alert's latest value and when it was seen.</summary>
    public async Task TouchAsync(long id, double lastValue, DateTimeOffset seenAt, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET last_value = @lastValue, last_seen_at = @seenAt WHERE id = @id AND ended_at IS NULL",
            new { id, lastValue, seenAt }, cancellationToken: ct));
    }

    /// <summary>
    /// Records who acknowledged an alert, with the operators' trail, in one transaction. Null when there is no such alert;
    /// an alert acknowledged already keeps its first acknowledgement.
    /// </summary>
    public async Task<Alert?> AcknowledgeAsync(long id, string actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var alert = await connection.QuerySingleOrDefaultAsync<Alert>(new CommandDefinition(
            LockAlertSql(database.Dialect), new { id }, transaction, cancellationToken: ct));
        if (alert is null || alert.AcknowledgedAt is not null)
        {
            return alert;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET acknowledged_at = @now, acknowledged_by = @actor WHERE id = @id", new { id, now, actor }, transaction, cancellationToken: ct));
        await AppendActionAsync(connection, transaction, now, actor, OperatorActions.Acknowledge,
            id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null, ct);
        // Read back rather than `alert with { … }`: the answer then shows the time as stored (PostgreSQL keeps microseconds,
        // .NET ticks of 100 ns), equal to what every later read of the alert shows.
        var acknowledged = await connection.QuerySingleAsync<Alert>(new CommandDefinition(
            $"SELECT {AlertColumns} FROM alerts WHERE id = @id", new { id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return acknowledged;
    }

    /// <summary>
    /// Changes a rule (or adds one, at version 0) if it is still at <paramref name="expectedVersion"/>, with the operators'
    /// trail (before and after), in one transaction. Returns the rule as stored, or the current one and false on a conflict.
    /// </summary>
    public async Task<(AlertRule? Rule, bool Changed)> SaveRuleAsync(AlertRule rule, int expectedVersion, string actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var before = await connection.QuerySingleOrDefaultAsync<AlertRule>(new CommandDefinition(
            LockRuleSql(database.Dialect), new { rule.Code }, transaction, cancellationToken: ct));
        if ((before?.Version ?? 0) != expectedVersion)
        {
            return (before, false);
        }

        var saved = new AlertRule
        {
            Code = rule.Code, Metric = rule.Metric, Comparison = rule.Comparison, Threshold = rule.Threshold, DurationSeconds = rule.DurationSeconds,
            Severity = rule.Severity, Enabled = rule.Enabled, Description = rule.Description, Version = expectedVersion + 1, ChangedAt = now, ChangedBy = actor,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            before is null
                ? """
                  INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by)
                  VALUES (@Code, @Metric, @Comparison, @Threshold, @DurationSeconds, @Severity, @Enabled, @Description, @Version, @ChangedAt, @ChangedBy)
                  """
                : """
                  UPDATE alert_rules SET metric = @Metric, comparison = @Comparison, threshold = @Threshold, duration_seconds = @DurationSeconds,
                         severity = @Severity, enabled = @Enabled, description = @Description, version = @Version, changed_at = @ChangedAt, changed_by = @ChangedBy
                  WHERE code = @Code
                  """,
            saved, transaction, cancellationToken: ct));
        await AppendActionAsync(connection, transaction, now, actor,
            before is null ? OperatorActions.RuleCreate : OperatorActions.RuleChange, rule.Code,
            before is null ? null : JsonSerializer.Serialize(before, Json.Options), JsonSerializer.Serialize(saved, Json.Options), ct);
        await transaction.CommitAsync(ct);
        return (saved, true);
    }

    /// <summary>Appends an entry of the operators' trail (<see cref="OperatorActions.Table"/>) in the change's transaction.</summary>
    private Task<long> AppendActionAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset at, string actor,
        string action, string subject, string? before, string? after, CancellationToken ct) =>
        OperatorActions.Table.AppendAsync(connection, transaction, database.Dialect, new Dictionary<string, object?>
        {
            ["at"] = at,
            ["actor"] = actor,
            ["action"] = action,
            ["subject"] = subject,
            ["before"] = before,
            ["after"] = after,
        }, ct);

    /// <summary>The operators' trail, newest first.</summary>
    public async Task<IReadOnlyList<OperatorAction>> ActionsAsync(long? beforeId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<OperatorAction>(new CommandDefinition(ActionsSql(database.Dialect), new { beforeId, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Verifies the operators' trail's hash chain.</summary>
    public async Task<AuditChainReport> VerifyActionsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await OperatorActions.Table.VerifyAsync(connection, ct);
    }

    private static Task AddNotificationAsync(DbConnection connection, DbTransaction transaction, PendingNotification? notification, CancellationToken ct) =>
        notification is null
            ? Task.CompletedTask
            : connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO notifications (event_id, alert_id, kind, body, created_at, attempts, next_attempt_at)
                VALUES (@EventId, @AlertId, @Kind, @Body, @CreatedAt, 0, @CreatedAt)
                """,
                notification, transaction, cancellationToken: ct));
}

/// <summary>A notification to write with its alert's change: the CloudEvent's id, the alert, opened or ended, the body as it will be posted.</summary>
public sealed record PendingNotification(string EventId, long AlertId, string Kind, string Body, DateTimeOffset CreatedAt);
