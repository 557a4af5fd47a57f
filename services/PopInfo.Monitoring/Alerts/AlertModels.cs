namespace PopInfo.Monitoring.Alerts;

/// <summary>An alert rule as stored and shown (docs/monitoring.md, "Alert rules").</summary>
public sealed class AlertRule
{
    public string Code { get; init; } = "";
    public string Metric { get; init; } = "";
    public string Comparison { get; init; } = "";
    public double Threshold { get; init; }
    public int DurationSeconds { get; init; }
    public string Severity { get; init; } = "";
    public bool Enabled { get; init; }
    public string Description { get; init; } = "";
    public int Version { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
    public string ChangedBy { get; init; } = "";

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);
}

/// <summary>An alert: one rule's condition for one subject, from when it held to when it stopped, and who acknowledged it.</summary>
public sealed class Alert
{
    public long Id { get; init; }
    public string RuleCode { get; init; } = "";
    public int RuleVersion { get; init; }
    public string Subject { get; init; } = "";
    public string Metric { get; init; } = "";
    public string Comparison { get; init; } = "";
    public double Threshold { get; init; }
    public string Severity { get; init; } = "";
    public DateTimeOffset HeldSince { get; init; }
    public DateTimeOffset FiredAt { get; init; }
    public double FiredValue { get; init; }
    public double LastValue { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }

    public bool Open => EndedAt is null;
}

/// <summary>What an operator sends to change (or add) a rule: everything but the code, with the version read (0 for a new rule).</summary>
public sealed record AlertRuleChange(
    string? Metric, string? Comparison, double? Threshold, int? DurationSeconds, string? Severity, bool? Enabled, string? Description, int? Version);

/// <summary>One entry of the operators' trail (<c>operator_actions</c>): a rule changed, an alert acknowledged.</summary>
public sealed class OperatorAction
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? Before { get; init; }
    public string? After { get; init; }
}
