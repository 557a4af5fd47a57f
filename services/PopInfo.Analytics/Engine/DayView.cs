namespace PopInfo.Analytics.Engine;

/// <summary>
/// The people counted on one day on one basis, one packed word each (their fields and record key), side by side with no gaps:
/// what a city-wide or district table reads instead of every version of every person. Made from the index on first
/// use and kept current by every batch applied after (the index recomputes a changed person's entry); an entry that
/// leaves is replaced by the last one, so the arrays stay dense. Alongside, the view keeps its people counted by the
/// fields of the layout's first two windows (community, age, sex, residence type: the core): a table that reads nothing
/// else is counted from those few hundred thousand counts instead of millions of people. Written under the index's
/// write lock only.
/// </summary>
public sealed class DayView
{
    private ulong[] packed;
    private int[] personAt;
    private int[] positionOf;
    private readonly byte[] ageByBirth;
    private readonly int firstBirth;
    private readonly PackedLayout layout;
    private readonly ulong coreMask;
    private readonly Dictionary<int, int> coreEntry = [];
    private GrowableColumn<int> coreWords = new(1024);
    private GrowableColumn<int> coreCounts = new(1024);
    private GrowableColumn<uint> coreKeySums = new(1024);

    internal DayView(PackedLayout layout, int day, TimeBasis basis, int persons, int earliestBirthDay, int expected)
    {
        this.layout = layout;
        var coreBits = layout.Windows[CoreWindows - 1].Shift + layout.Windows[CoreWindows - 1].Width;
        if (coreBits > 31)
        {
            throw new InvalidOperationException($"The core fields need {coreBits} bits, more than an int's 31.");
        }

        coreMask = (1UL << coreBits) - 1;
        Day = day;
        Basis = basis;
        packed = new ulong[Math.Max(16, expected)];
        personAt = new int[packed.Length];
        positionOf = new int[Math.Max(16, persons)];
        Array.Fill(positionOf, -1);
        // Ages on the day by birth day, so that packing a person costs a look-up, not a calendar computation.
        firstBirth = Math.Min(earliestBirthDay, day);
        ageByBirth = new byte[day - firstBirth + 1];
        for (var b = firstBirth; b <= day; b++)
        {
            ageByBirth[b - firstBirth] = (byte)Domain.Statistics.Ages.SingleYear(Domain.Statistics.Ages.On(DateOnly.FromDayNumber(b), DateOnly.FromDayNumber(day)));
        }
    }

    public int Day { get; }

    public TimeBasis Basis { get; }

    /// <summary>How many people it holds.</summary>
    public int Count { get; private set; }

    /// <summary>The packed words, valid up to <see cref="Count"/>.</summary>
    public ulong[] Packed => packed;

    /// <summary>How many of the layout's windows the core holds.</summary>
    public const int CoreWindows = 2;

    /// <summary>How many core combinations have (or had) people: the core arrays are valid up to it.</summary>
    public int CoreCount => coreEntry.Count;

    /// <summary>Each core combination: the core fields as they sit in the packed word.</summary>
    public int[] CoreWords => coreWords.Items;

    /// <summary>How many people have each core combination (0 once all have gone).</summary>
    public int[] CoreCounts => coreCounts.Items;

    /// <summary>The sum of their record keys (as every count sums them: the kept top bits), mod 2³².</summary>
    public uint[] CoreKeySums => coreKeySums.Items;

    /// <summary>When a query last used it (for keeping the most used views).</summary>
    internal long LastUsed { get; set; }

    /// <summary>Age in completed years on the view's day, or −1 when not yet born.</summary>
    internal int AgeOf(int birthDay) => birthDay > Day ? -1
        : birthDay >= firstBirth ? ageByBirth[birthDay - firstBirth]
        : Domain.Statistics.Ages.On(DateOnly.FromDayNumber(birthDay), DateOnly.FromDayNumber(Day));

    /// <summary>Puts or replaces a person's entry.</summary>
    internal void Set(int person, ulong word)
    {
        EnsurePersons(person + 1);
        var at = positionOf[person];
        if (at >= 0)
        {
            Tally(packed[at], -1);
        }
        else
        {
            if (Count == packed.Length)
            {
                Array.Resize(ref packed, packed.Length * 2);
                Array.Resize(ref personAt, packed.Length);
            }

            at = Count++;
            positionOf[person] = at;
            personAt[at] = person;
        }

        packed[at] = word;
        Tally(word, +1);
    }

    /// <summary>Takes a person's entry out (moved away, died, not yet there on the day); the last entry fills the gap.</summary>
    internal void Remove(int person)
    {
        if (person >= positionOf.Length || positionOf[person] is var at && at < 0)
        {
            return;
        }

        Tally(packed[at], -1);
        var last = --Count;
        if (at != last)
        {
            packed[at] = packed[last];
            personAt[at] = personAt[last];
            positionOf[personAt[at]] = at;
        }

        positionOf[person] = -1;
    }

    // One person more (+1) or fewer (−1) in their core combination.
    private void Tally(ulong word, int change)
    {
        var core = (int)(word & coreMask);
        if (!coreEntry.TryGetValue(core, out var entry))
        {
            entry = coreEntry.Count;
            coreEntry[core] = entry;
            coreWords.EnsureCapacity(entry + 1);
            coreCounts.EnsureCapacity(entry + 1);
            coreKeySums.EnsureCapacity(entry + 1);
            coreWords.Items[entry] = core;
        }

        var key = (uint)(word >> layout.KeyShift) << (32 - layout.KeyBits);
        coreCounts.Items[entry] += change;
        coreKeySums.Items[entry] += change > 0 ? key : 0u - key;
    }

    private void EnsurePersons(int count)
    {
        if (count > positionOf.Length)
        {
            var old = positionOf.Length;
            Array.Resize(ref positionOf, Math.Max(count, old * 2));
            Array.Fill(positionOf, -1, old, positionOf.Length - old);
        }
    }
}
