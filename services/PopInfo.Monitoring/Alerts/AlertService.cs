using PopInfo.Domain.Monitoring;
using PopInfo.Monitoring.Samples;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring.Alerts;

/// <summary>An alert as operators see it: the alert and its rule's description.</summary>
public sealed record AlertView(Alert Alert, string Description);

/// <summary>A page of alerts, newest first, and where the next page starts (null: no more).</summary>
public sealed record AlertPage(IReadOnlyList<AlertView> Items, long? NextBefore);

/// <summary>A page of the operators' trail, and the chain's verification.</summary>
public sealed record OperatorActionPage(IReadOnlyList<OperatorAction> Items, long? NextBefore, ServiceDefaults.Data.AuditChainReport Chain);

/// <summary>The alerts for operators: list, acknowledge; the rules: list, change, add; the trail of both (docs/monitoring.md).</summary>
public sealed class AlertService(AlertStore store, TimeProvider clock)
{
    public const int MaxLimit = 500;

    public async Task<Result<AlertPage>> ListAsync(string? state, BeforePaging paging, CancellationToken ct)
    {
        var violations = new List<RuleViolation>();
        if (state is not (null or "open" or "all"))
        {
            violations.Add(new("state", "state.known", "state is 'open' or 'all'."));
        }

        var (limit, before) = Check(violations, paging);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var rules = (await store.RulesAsync(ct)).ToDictionary(r => r.Code, StringComparer.Ordinal);
        var alerts = await store.ListAsync(state != "all", before, limit + 1, ct);
        var items = alerts.Take(limit).Select(a => new AlertView(a, rules.TryGetValue(a.RuleCode, out var r) ? r.Description : "")).ToList();
        return new AlertPage(items, alerts.Count > limit ? items[^1].Alert.Id : null);
    }

    public async Task<Result<AlertView>> AcknowledgeAsync(long id, string actor, CancellationToken ct)
    {
        if (await store.AcknowledgeAsync(id, actor, clock.GetUtcNow(), ct) is not { } alert)
        {
            return Refusal.NotFound($"No alert {id}.");
        }

        var rule = (await store.RulesAsync(ct)).FirstOrDefault(r => r.Code == alert.RuleCode);
        return new AlertView(alert, rule?.Description ?? "");
    }

    public async Task<IReadOnlyList<AlertRule>> RulesAsync(CancellationToken ct) => await store.RulesAsync(ct);

    /// <summary>
    /// Changes a rule, or adds one when the code is new (version 0): all or nothing, with the change in the operators' trail.
    /// Omitted settings keep the rule's (a new rule must give them all).
    /// </summary>
    public async Task<Result<AlertRule>> SaveRuleAsync(string code, AlertRuleChange change, string actor, CancellationToken ct)
    {
        var violations = TextViolations.Check(("metric", change.Metric), ("comparison", change.Comparison), ("severity", change.Severity),
            ("description", change.Description));
        if (change.Version is not >= 0)
        {
            violations.Add(new("version", "required", "version is the rule's version as read (0 for a new rule)."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var current = (await store.RulesAsync(ct)).FirstOrDefault(r => r.Code == code);
        var rule = new AlertRule
        {
            Code = code,
            Metric = change.Metric ?? current?.Metric ?? "",
            Comparison = change.Comparison ?? current?.Comparison ?? "",
            Threshold = change.Threshold ?? current?.Threshold ?? double.NaN,
            DurationSeconds = change.DurationSeconds ?? current?.DurationSeconds ?? -1,
            Severity = change.Severity ?? current?.Severity ?? "",
            Enabled = change.Enabled ?? current?.Enabled ?? true,
            Description = change.Description ?? current?.Description ?? "",
        };
        var offences = AlertRuleLimits.Check(rule.Code, rule.Metric, rule.Comparison, rule.Threshold, rule.DurationSeconds, rule.Severity, rule.Description,
            Metrics.IsKnown);
        if (offences.Count > 0)
        {
            return Refusal.Invalid(offences.Select(o => new RuleViolation(o.Field, o.Rule, o.Message)).ToList());
        }

        var (saved, changed) = await store.SaveRuleAsync(rule, change.Version!.Value, actor, clock.GetUtcNow(), ct);
        return changed ? saved! : Refusal.VersionConflict(change.Version.Value, saved?.Version ?? 0);
    }

    public async Task<Result<OperatorActionPage>> ActionsAsync(BeforePaging paging, CancellationToken ct)
    {
        var violations = new List<RuleViolation>();
        var (limit, before) = Check(violations, paging);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var actions = await store.ActionsAsync(before, limit + 1, ct);
        var items = actions.Take(limit).ToList();
        return new OperatorActionPage(items, actions.Count > limit ? items[^1].Id : null, await store.VerifyActionsAsync(ct));
    }

    private static (int Limit, long? Before) Check(List<RuleViolation> violations, BeforePaging paging)
    {
        var checkedPaging = paging.Check(violations, MaxLimit, "an id");
        return (checkedPaging.Limit, checkedPaging.Before);
    }
}
