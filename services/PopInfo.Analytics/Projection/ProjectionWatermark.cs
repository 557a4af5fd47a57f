namespace PopInfo.Analytics.Projection;

/// <summary>
/// The analytics projection's gap-free low watermark as last committed, for answers to carry (read without the database).
/// A type of its own: the embedded host holds every service in one container.
/// </summary>
public sealed class ProjectionWatermark : PopInfo.ServiceDefaults.Projections.ProjectionWatermark;
