namespace PopInfo.Analytics.Projection;

/// <summary>
/// The one way versions reach the projection: into the store (idempotent, the watermark moved in the same transaction),
/// then this instance's index follows the store (<see cref="IndexFollower"/>). Events and the change feed both come
/// through here.
/// </summary>
public sealed class Projector(FactStore store, IndexFollower index, ProjectionReadiness readiness)
{
    public async Task ApplyAsync(IReadOnlyList<PersonFacts> changes, CancellationToken ct)
    {
        // Before the index is loaded a change would be lost between the store and a load already past it: wait; and while
        // another instance rebuilds the store, the store refuses it: wait for the rebuild.
        await readiness.ApplyWhenBuiltAsync(() => store.ApplyAsync(changes, ct), ct);
        await index.CatchUpAsync(ct);
    }
}
