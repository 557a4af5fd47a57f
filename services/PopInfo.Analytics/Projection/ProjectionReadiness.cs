namespace PopInfo.Analytics.Projection;

/// <summary>
/// Completed once the index holds the store (the start's load or a rebuild): changes wait for it. A type of its own: the
/// embedded host holds every service in one container.
/// </summary>
public sealed class ProjectionReadiness : PopInfo.ServiceDefaults.Projections.ProjectionReadiness;
