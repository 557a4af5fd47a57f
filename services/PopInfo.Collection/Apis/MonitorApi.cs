using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection.Monitor;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Collection.Apis;

/// <summary>The monitoring service's source: daily clearing facts per community and day (scope <c>collection.monitor</c>).</summary>
public static class MonitorApi
{
    public static IEndpointRouteBuilder MapMonitorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/monitor").WithTags("Monitoring source").WithGroupName(CollectionModule.Name);
        api.MapGet("/clearing", GetClearingFacts).WithName("collection-monitor-clearing")
            .WithSummary("Per community and day from..to (≤ 366 days; city-wide or one street): forms, late, submitted the same day or later, accepted (first time), rejected (ever), pending, drafts, cleared, closed and whether by the deadline. Counts only.")
            .RequireScope(PlatformScopes.CollectionMonitor);
        api.MapGet("/outbox", GetOutboxBacklog).WithName("collection-monitor-outbox")
            .WithSummary("Each outbox to the registry: the items waiting in it and since when the oldest waits. Counts only.")
            .RequireScope(PlatformScopes.CollectionMonitor);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<OutboxBacklog>>> GetOutboxBacklog(OutboxBacklogStore outboxes, CancellationToken ct) =>
        TypedResults.Ok(await outboxes.ReadAsync(ct));

    public static async Task<Results<Ok<CommunityFactsPage>, ProblemHttpResult>> GetClearingFacts(
        string? from, string? to, string? street, ClearingFactsService facts, CancellationToken ct)
    {
        var result = await facts.ReadAsync(from, to, street, ct);
        return result.Value is { } page ? TypedResults.Ok(page) : result.Refusal!.ToTypedResult();
    }
}
