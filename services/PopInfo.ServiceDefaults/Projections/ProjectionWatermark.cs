namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// A projection's gap-free low watermark as last committed, for answers to carry (read without the database). Each
/// service derives its own type and registers that: the embedded host holds every service in one container.
/// </summary>
public class ProjectionWatermark
{
    private long current;

    public long Current => Interlocked.Read(ref current);

    public void Set(long value) => Interlocked.Exchange(ref current, value);
}
