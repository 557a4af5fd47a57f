using Microsoft.Extensions.Options;
using PopInfo.Domain.Monitoring;
using PopInfo.Monitoring.Notifications;
using PopInfo.Monitoring.Samples;

namespace PopInfo.Monitoring.Alerts;

/// <summary>
/// Evaluates every enabled rule over the stored samples (ADR 0004 decisions 2 and 5): a subject whose condition has held for
/// the rule's duration gets an alert (with its notification, one transaction); an open alert whose condition is seen not to
/// hold ends (with its notification); an open alert whose subject is unknown (its source stopped answering) stays open. It
/// keeps nothing in memory, so any instance, after any restart, reaches the same decisions from the same samples.
/// </summary>
public sealed class AlertEvaluator(AlertStore alerts, SampleStore samples, IOptions<MonitoringOptions> options, ILogger<AlertEvaluator> logger)
{
    /// <summary>How far back a rule's samples are read beyond its duration: the unbroken run is looked for within it.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(1);

    /// <summary>One evaluation at <paramref name="now"/>: the alerts opened and ended.</summary>
    public async Task<(int Opened, int Ended)> EvaluateAsync(DateTimeOffset now, CancellationToken ct)
    {
        var notify = options.Value.NotificationUrl is not null;
        var rules = await alerts.RulesAsync(ct);
        var open = (await alerts.OpenAlertsAsync(ct)).ToDictionary(a => (a.RuleCode, a.Subject));
        var opened = 0;
        var ended = 0;
        foreach (var rule in rules)
        {
            var ruleOpen = open.Values.Where(a => a.RuleCode == rule.Code).ToList();
            if (!rule.Enabled)
            {
                // A rule switched off ends its alerts: nobody watches that condition any more.
                foreach (var alert in ruleOpen)
                {
                    ended += await EndAsync(alert, rule, alert.LastValue, now, now, notify, ct);
                }

                continue;
            }

            var window = await samples.WindowAsync(rule.Metric, now - rule.Duration - Lookback, now, ct);
            var bySubject = window.GroupBy(s => s.Subject, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.Point).ToList(), StringComparer.Ordinal);
            foreach (var alert in ruleOpen.Where(a => !bySubject.ContainsKey(a.Subject)))
            {
                bySubject[alert.Subject] = [];
            }

            foreach (var (subject, points) in bySubject)
            {
                var state = AlertCondition.Evaluate(points, rule.Comparison, rule.Threshold, now, options.Value.StaleAfter);
                open.TryGetValue((rule.Code, subject), out var current);
                if (current is null && state.HasHeldFor(rule.Duration, now))
                {
                    if (await alerts.OpenAsync(rule, subject, state, now, a => notify ? AlertEvent.Make(a, rule, AlertEvent.Opened, now) : null, ct) is { } alert)
                    {
                        opened++;
                        logger.LogWarning("Alert {AlertId} opened: rule {Rule}, subject {Subject}, value {Value}.", alert.Id, rule.Code, subject, state.LastValue);
                    }
                }
                else if (current is not null && state.Known && !state.Holds)
                {
                    ended += await EndAsync(current, rule, state.LastValue!.Value, state.LastTakenAt!.Value, now, notify, ct);
                }
                else if (current is not null && state.Known && state.LastTakenAt != current.LastSeenAt)
                {
                    await alerts.TouchAsync(current.Id, state.LastValue!.Value, state.LastTakenAt!.Value, ct);
                }
            }
        }

        // An alert whose rule was deleted from the table cannot be: rules are never deleted (switched off instead).
        return (opened, ended);
    }

    private async Task<int> EndAsync(Alert alert, AlertRule rule, double lastValue, DateTimeOffset seenAt, DateTimeOffset now, bool notify, CancellationToken ct)
    {
        if (!await alerts.EndAsync(alert, lastValue, seenAt, now, a => notify ? AlertEvent.Make(a, rule, AlertEvent.Ended, now) : null, ct))
        {
            return 0;
        }

        logger.LogInformation("Alert {AlertId} ended: rule {Rule}, subject {Subject}.", alert.Id, rule.Code, alert.Subject);
        return 1;
    }
}
