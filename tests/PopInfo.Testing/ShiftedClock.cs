namespace PopInfo.Testing;

/// <summary>The system's clock moved by <see cref="Offset"/>: a test jumps hours or days ahead without waiting (timers stay real).</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
        set => Interlocked.Exchange(ref offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
