using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Domain.Monitoring;
using PopInfo.Exchange.Monitor;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Apis;

/// <summary>The monitoring service's source: per department and day, records supplied and deliveries acknowledged (scope <c>exchange.monitor</c>).</summary>
public static class MonitorApi
{
    public static IEndpointRouteBuilder MapMonitorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/monitor").WithTags("Monitoring source").WithGroupName(ExchangeModule.Name);
        api.MapGet("/departments", GetDepartmentFacts).WithName("exchange-monitor-departments")
            .WithSummary("Per department and day from..to (≤ 366 days): inbound records received, applied, rejected, refused, held, dismissed, on time; deliveries made, acknowledged, in time. Counts only.")
            .RequireScope(PlatformScopes.ExchangeMonitor);
        api.MapGet("/outbox", GetOutboxBacklog).WithName("exchange-monitor-outbox")
            .WithSummary("Each outbox to the registry: the items waiting in it and since when the oldest waits. Counts only.")
            .RequireScope(PlatformScopes.ExchangeMonitor);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<OutboxBacklog>>> GetOutboxBacklog(OutboxBacklogStore outboxes, CancellationToken ct) =>
        TypedResults.Ok(await outboxes.ReadAsync(ct));

    public static async Task<Results<Ok<DepartmentFactsPage>, ProblemHttpResult>> GetDepartmentFacts(
        string? from, string? to, DepartmentFactsService facts, CancellationToken ct)
    {
        var result = await facts.ReadAsync(from, to, ct);
        return result.Value is { } page ? TypedResults.Ok(page) : result.Refusal!.ToTypedResult();
    }
}
