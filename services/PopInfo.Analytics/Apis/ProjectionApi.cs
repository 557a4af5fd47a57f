using Microsoft.AspNetCore.Http.HttpResults;
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
        app.MapGroup("/api/v1/projection").WithTags("Projection").WithGroupName(AnalyticsModule.Name).RequireScope(PlatformScopes.AnalyticsRead)
            .MapGet("/status", GetProjectionStatus).WithName("GetAnalyticsProjectionStatus")
            .WithSummary("The projection's gap-free low watermark (every change-log sequence up to it applied), the registry's last sequence and the seconds behind.");
        return app;
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
