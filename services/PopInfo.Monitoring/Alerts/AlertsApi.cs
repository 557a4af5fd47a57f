using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Monitoring.Dashboard;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring.Alerts;

/// <summary>Alerts and their rules for operators (docs/monitoring.md, "Alerts").</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Alerts").WithGroupName(MonitoringModule.Name).RequireOperator();
        group.MapGet("/alerts", ListAlerts).WithName("monitoring-list-alerts")
            .WithSummary("Alerts, newest first: open ones (state=open, the default) or all; keyset paging by 'before'.");
        group.MapPost("/alerts/{id:long}/acknowledge", AcknowledgeAlert).WithName("monitoring-acknowledge-alert")
            .WithSummary("Records that you have seen the alert (once: the first acknowledgement stays). In the operators' trail.");
        group.MapGet("/alert-rules", ListAlertRules).WithName("monitoring-list-alert-rules")
            .WithSummary("Every alert rule: metric, comparison, threshold, duration, severity, enabled, version.");
        group.MapPut("/alert-rules/{code}", SaveAlertRule).WithName("monitoring-save-alert-rule")
            .WithSummary("Changes a rule (its version as read) or adds one (version 0). In the operators' trail, before and after.");
        group.MapGet("/operator-actions", ListOperatorActions).WithName("monitoring-list-operator-actions")
            .WithSummary("The operators' trail (rules changed, alerts acknowledged), newest first, with its hash chain's verification.");
        return app;
    }

    public static async Task<Results<Ok<AlertPage>, ProblemHttpResult>> ListAlerts(AlertService alerts, CancellationToken ct, string? state = null,
        [AsParameters] BeforePaging paging = default) =>
        (await alerts.ListAsync(state, paging, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<AlertView>, ProblemHttpResult>> AcknowledgeAlert(long id, AlertService alerts, ClaimsPrincipal user, CancellationToken ct) =>
        (await alerts.AcknowledgeAsync(id, ActorOf(user), ct)).ToOkOrProblem();

    public static async Task<Ok<IReadOnlyList<AlertRule>>> ListAlertRules(AlertService alerts, CancellationToken ct) =>
        TypedResults.Ok(await alerts.RulesAsync(ct));

    public static async Task<Results<Ok<AlertRule>, ProblemHttpResult>> SaveAlertRule(string code, AlertRuleChange change, AlertService alerts,
        ClaimsPrincipal user, CancellationToken ct) =>
        (await alerts.SaveRuleAsync(code, change, ActorOf(user), ct)).ToOkOrProblem();

    public static async Task<Results<Ok<OperatorActionPage>, ProblemHttpResult>> ListOperatorActions(AlertService alerts, CancellationToken ct,
        [AsParameters] BeforePaging paging = default) =>
        (await alerts.ActionsAsync(paging, ct)).ToOkOrProblem();

    /// <summary>Who acted, as the trail names them: the person's user name (the token's or the page session's subject) and role.</summary>
    public static string ActorOf(ClaimsPrincipal user) => $"{MonitorAuthentication.RoleOf(user) ?? "client"}:{TokenCaller.From(user).Subject}";
}
