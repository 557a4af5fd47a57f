namespace PopInfo.Analytics.Projection;

/// <summary>The projection's gap-free low watermark as last committed, for answers to carry (read without the database).</summary>
public sealed class ProjectionWatermark
{
    private long current;

    public long Current => Interlocked.Read(ref current);

    public void Set(long value) => Interlocked.Exchange(ref current, value);
}
