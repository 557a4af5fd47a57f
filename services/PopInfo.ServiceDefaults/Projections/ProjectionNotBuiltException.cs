namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// A change reached a projection's store while it is not built — never built, or emptied for a rebuild that is loading the
/// snapshot (possibly on another instance). Nothing was written: the change waits until the store is built again
/// (<see cref="ProjectionReadiness.ApplyWhenBuiltAsync"/>); a write beside the snapshot being loaded could collide with it.
/// </summary>
public sealed class ProjectionNotBuiltException() : InvalidOperationException("The projection's store is not built (a rebuild is loading its snapshot).");
