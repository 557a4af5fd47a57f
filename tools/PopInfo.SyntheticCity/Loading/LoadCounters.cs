namespace PopInfo.SyntheticCity.Loading;

/// <summary>What a load has done so far, read by the progress display from another thread.</summary>
internal sealed class LoadCounters
{
    private long _people;
    private long _households;
    private string _phase = "starting";

    public long People => Interlocked.Read(ref _people);

    public long Households => Interlocked.Read(ref _households);

    public string Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    public void AddPeople(long n) => Interlocked.Add(ref _people, n);

    public void AddHouseholds(long n) => Interlocked.Add(ref _households, n);
}

/// <summary>The outcome of a load, for the summary and the benchmark figures.</summary>
/// <param name="People">Person rows written: the living city and, with history, the people who are no longer there.</param>
/// <param name="Households">Household rows written.</param>
/// <param name="History">person_history rows written (superseded versions).</param>
/// <param name="Living">Of <paramref name="People"/>, the living city's.</param>
/// <param name="Total">Wall-clock time of the whole load, from the first generated person to the commit.</param>
/// <param name="Copy">Time spent generating and copying rows (everything before the indexes were rebuilt).</param>
/// <param name="Indexes">Time spent rebuilding the secondary indexes, zero when they were kept.</param>
public sealed record LoadResult(long People, long Households, long History, long Living, TimeSpan Total, TimeSpan Copy, TimeSpan Indexes)
{
    /// <summary>Persons rows per second of the whole load (history and households included in the time).</summary>
    public double PeoplePerSecond => People / Math.Max(Total.TotalSeconds, 1e-9);
}
