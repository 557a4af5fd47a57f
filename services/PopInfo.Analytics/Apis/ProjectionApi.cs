using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Analytics.Dashboard;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Analytics.Apis;

/// <summary>How current the projection is: its gap-free low watermark, the registry's last sequence, seconds behind.</summary>
public sealed record ProjectionStatus(
    bool Ready, long? SnapshotSequence, long LowWatermark, long RegistryLastSequence, double SecondsBehind, DateTimeOffset? BuiltAt,
    int Versions, int Persons);

public static class ProjectionApi
{
    public static IEndpointRouteBuilder MapProjectionApi(this IEndpointRouteBuilder app)
    {
        var projection = app.MapGroup("/api/v1/projection").WithTags("Projection").WithGroupName(AnalyticsModule.Name);
        projection.MapGet("/status", GetProjectionStatus).WithName("GetAnalyticsProjectionStatus").RequireAnalyticsReaderOrMonitor()
            .WithSummary("The projection's gap-free low watermark (every change-log sequence up to it applied), the registry's last sequence and the seconds behind.");
        projection.MapPost("/reconcile", Reconcile).WithName("ReconcileAnalyticsProjection").RequireScope(PlatformScopes.AnalyticsAdmin)
            .WithSummary("Recomputes the living population with the registry's SQL at one change-log sequence and lists every group where the projection differs.");
        projection.MapGet("/reconciliation", GetReconciliation).WithName("GetAnalyticsReconciliation").RequireScope(PlatformScopes.AnalyticsAdmin)
            .WithSummary("The last reconciliation's result (on demand or scheduled).");
        projection.MapPost("/rebuild", Rebuild).WithName("RebuildAnalyticsProjection").RequireScope(PlatformScopes.AnalyticsAdmin)
            .WithSummary("Empties the projection and builds it again from the registry's snapshot, then follows the feed (answers at once; watch the status).");
        return app;
    }

    public static async Task<Ok<ReconciliationResult>> Reconcile(Reconciler reconciler, CancellationToken ct) =>
        TypedResults.Ok(await reconciler.RunAsync(ct));

    public static Results<Ok<ReconciliationResult>, NotFound> GetReconciliation(Reconciler reconciler) =>
        reconciler.Last is { } last ? TypedResults.Ok(last) : TypedResults.NotFound();

    public static async Task<Accepted> Rebuild(ProjectionService projection, CancellationToken ct)
    {
        // Kept in the store: the instance that leads the follower rebuilds, whichever instance was asked.
        await projection.RequestRebuildAsync(ct);
        return TypedResults.Accepted("/api/v1/projection/status");
    }

    public static async Task<Ok<ProjectionStatus>> GetProjectionStatus(
        FactStore store, PopulationIndex index, ProjectionService projection, ProjectionReadiness readiness, CancellationToken ct)
    {
        var state = await store.StateAsync(ct);
        return TypedResults.Ok(new ProjectionStatus(
            readiness.IsReady, state.Snapshot_Sequence, state.Low_Watermark, projection.RegistryLastSequence, projection.SecondsBehind, state.Built_At,
            index.RowCount, index.PersonCount));
    }
}
