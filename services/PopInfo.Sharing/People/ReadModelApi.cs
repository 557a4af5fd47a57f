using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Sharing.People;

/// <summary>
/// How current the read model is: built or not, its gap-free low watermark, the registry's last sequence, seconds behind, persons
/// held; and, when the look-ups read a streaming replica (docs/database-replica.md), <see cref="ReplicaLowWatermark"/>: the
/// watermark as the replica has replayed it, which is what a look-up answers from (null without a replica: the look-ups
/// read <see cref="LowWatermark"/>'s own database). A look-up may lack the changes after it: RegistryLastSequence − it of them.
/// </summary>
public sealed record ReadModelStatus(bool Ready, long? SnapshotSequence, long LowWatermark, long RegistryLastSequence, double SecondsBehind, DateTimeOffset? BuiltAt, long Persons,
    long? ReplicaLowWatermark = null);

public static class ReadModelApi
{
    public static IEndpointRouteBuilder MapReadModelApi(this IEndpointRouteBuilder app)
    {
        var model = app.MapGroup("/api/v1/read-model").WithTags("Read model").WithGroupName(SharingModule.Name);
        model.MapGet("/status", GetReadModelStatus).WithName("GetSharingReadModelStatus")
            .RequireAnyScope(PlatformScopes.SharingAdmin, PlatformScopes.SharingMonitor)
            .WithSummary("The read model's gap-free low watermark (every change-log sequence up to it applied), the registry's last sequence, the seconds behind and the persons held; "
                + "with a replica, the watermark the look-ups answer from (replicaLowWatermark).");
        model.MapPost("/rebuild", Rebuild).WithName("RebuildSharingReadModel").RequireScope(PlatformScopes.SharingAdmin)
            .WithSummary("Empties the read model and builds it again from the registry's snapshot, then follows the feed (answers at once; watch the status).");
        return app;
    }

    public static async Task<Ok<ReadModelStatus>> GetReadModelStatus(PeopleStore store, PeopleProjection projection, PeopleReadiness readiness, CancellationToken ct)
    {
        var state = await store.StateAsync(ct);
        return TypedResults.Ok(new ReadModelStatus(
            readiness.IsReady, state.Snapshot_Sequence, state.Low_Watermark, projection.RegistryLastSequence, projection.SecondsBehind, state.Built_At,
            await store.CountAsync(ct), await store.ReplicaWatermarkAsync(ct)));
    }

    public static async Task<Accepted> Rebuild(PeopleProjection projection, CancellationToken ct)
    {
        // Kept in the store: the instance that leads the follower rebuilds, whichever instance was asked.
        await projection.RequestRebuildAsync(ct);
        return TypedResults.Accepted("/api/v1/read-model/status");
    }
}
