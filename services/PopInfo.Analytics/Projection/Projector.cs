using PopInfo.Analytics.Engine;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// The one way versions reach the projection: into the store (idempotent, the watermark moved in the same transaction),
/// then into the index. Events and the change feed both come through here.
/// </summary>
public sealed class Projector(FactStore store, PopulationIndex index, ProjectionWatermark watermark, ProjectionReadiness readiness)
{
    public async Task ApplyAsync(IReadOnlyList<PersonFacts> changes, CancellationToken ct)
    {
        // Before the index is loaded a change would be lost between the store and a load already past it: wait.
        await readiness.WaitAsync(ct);
        var (applied, low, pending) = await store.ApplyAsync(changes, ct);
        index.Apply(applied, new ProjectionPosition(low, pending));
        watermark.Set(low);
    }
}
