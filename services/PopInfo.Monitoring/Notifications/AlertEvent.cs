using System.Globalization;
using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Monitoring.Alerts;

namespace PopInfo.Monitoring.Notifications;

/// <summary>
/// An alert opened or ended as a CloudEvent (structured JSON, as the exchange's events): <c>id</c> <c>alert-{id}-{kind}</c>,
/// the same on every attempt (receivers drop repeats by it), type <c>cn.popinfo.monitoring.alert.{kind}.v1</c>.
/// docs/monitoring.md, "Notifications".
/// </summary>
public static class AlertEvent
{
    public const string Opened = "opened";
    public const string Ended = "ended";
    public const string Source = "/popinfo/monitoring";

    public static string TypeOf(string kind) => $"cn.popinfo.monitoring.alert.{kind}.v1";

    public static string IdOf(long alertId, string kind) => $"alert-{alertId.ToString(CultureInfo.InvariantCulture)}-{kind}";

    public static PendingNotification Make(Alert alert, AlertRule rule, string kind, DateTimeOffset now)
    {
        var id = IdOf(alert.Id, kind);
        var body = JsonSerializer.Serialize(new AlertCloudEvent(
            "1.0", id, Source, TypeOf(kind), now, "application/json", alert.Subject,
            new AlertData(alert.Id, alert.RuleCode, alert.RuleVersion, rule.Description, alert.Subject, alert.Severity, alert.Metric, alert.Comparison,
                alert.Threshold, rule.DurationSeconds, alert.FiredValue, alert.LastValue, alert.HeldSince, alert.FiredAt, alert.EndedAt)), Json.Options);
        return new PendingNotification(id, alert.Id, kind, body, now);
    }

    private sealed record AlertCloudEvent(
        string Specversion, string Id, string Source, string Type, DateTimeOffset Time, string Datacontenttype, string Subject, AlertData Data);

    private sealed record AlertData(
        long AlertId, string Rule, int RuleVersion, string Description, string Subject, string Severity, string Metric, string Comparison,
        double Threshold, int DurationSeconds, double FiredValue, double LastValue, DateTimeOffset HeldSince, DateTimeOffset FiredAt, DateTimeOffset? EndedAt);
}
