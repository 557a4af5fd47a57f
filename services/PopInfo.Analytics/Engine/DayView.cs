namespace PopInfo.Analytics.Engine;

/// <summary>
/// The people counted on one day on one basis, one packed word each (their fields and record key): what a city-wide or
/// district table reads instead of every version of every person. Made from the index on first use and kept current by
/// every batch applied after (the index recomputes a changed person's entry). Written under the index's write lock only.
/// <para>
/// The view also counts its people by the fields of the layout's first two windows (community, age, sex, residence type:
/// the core), a few hundred thousand combinations for the city. A table that reads nothing else is counted from those
/// counts. For the others the words are kept in order of their core combination, each combination a run
/// (<see cref="RunStart"/>), so that a table whose core filters drop a combination (the over-60s, women, one district)
/// skips its run whole. A changed person's word leaves its run (a tombstone takes its place) and joins an unordered
/// tail; when tail and tombstones pass an eighth of the view, the words are put in order again.
/// </para>
/// </summary>
public sealed class DayView
{
    /// <summary>How many of the layout's windows the core holds.</summary>
    public const int CoreWindows = 2;

    /// <summary>What a word left behind in its run becomes (no person has every field at its largest value).</summary>
    public const ulong Tombstone = ulong.MaxValue;

    private ulong[] words;
    private int[] personAt;
    private int[] positionOf;
    private int[] runStart = [0];
    private int[] runCore = [];
    private int[] groupStart;
    private readonly byte[] ageByBirth;
    private readonly int firstBirth;
    private readonly PackedLayout layout;
    private readonly ulong coreMask;
    private readonly Dictionary<int, int> coreEntry = [];
    private GrowableColumn<int> coreWords = new(1024);
    private GrowableColumn<int> coreCounts = new(1024);
    private GrowableColumn<uint> coreKeySums = new(1024);
    private int tombstones;

    internal DayView(PackedLayout layout, int day, TimeBasis basis, int persons, int earliestBirthDay, int expected)
    {
        this.layout = layout;
        var coreBits = layout.Windows[CoreWindows - 1].Shift + layout.Windows[CoreWindows - 1].Width;
        if (coreBits > 31)
        {
            throw new InvalidOperationException($"The core fields need {coreBits} bits, more than an int's 31.");
        }

        coreMask = (1UL << coreBits) - 1;
        groupStart = new int[(1 << layout.Windows[CoreWindows - 1].Width) + 1];
        Day = day;
        Basis = basis;
        words = new ulong[Math.Max(16, expected)];
        personAt = new int[words.Length];
        positionOf = new int[Math.Max(16, persons)];
        Array.Fill(positionOf, -1);
        // Ages on the day by birth day, so that packing a person costs a look-up, not a calendar computation.
        firstBirth = Math.Min(earliestBirthDay, day);
        ageByBirth = Domain.Statistics.Ages.SingleYearsByBirthDay(firstBirth, day);
    }

    public int Day { get; }

    public TimeBasis Basis { get; }

    /// <summary>How many people it holds.</summary>
    public int People => Length - tombstones;

    /// <summary>The words in use: the ordered runs (with their tombstones), then the tail.</summary>
    public int Length { get; private set; }

    /// <summary>The packed words, valid up to <see cref="Length"/>; tombstones (<see cref="Tombstone"/>) only before <see cref="OrderedLength"/>.</summary>
    public ulong[] Words => words;

    /// <summary>Where the tail begins: the words before it are in runs of one core combination each.</summary>
    public int OrderedLength => runStart[^1];

    /// <summary>Run <c>r</c> is <c>Words[RunStart[r] .. RunStart[r + 1])</c>, for <c>r</c> below <see cref="Runs"/>.</summary>
    public int[] RunStart => runStart;

    /// <summary>Run <c>r</c>'s core combination, as the core fields sit in the packed word.</summary>
    public int[] RunCore => runCore;

    /// <summary>
    /// The runs of each value <c>v</c> of the second core window (age, sex and residence type, which the runs are ordered
    /// by first): runs <c>GroupStart[v] .. GroupStart[v + 1]</c>. A filter that drops a value skips its runs at once.
    /// </summary>
    public int[] GroupStart => groupStart;

    /// <summary>How many core combinations have a run (those first seen since the last ordering have their people in the tail).</summary>
    public int Runs => runStart.Length - 1;

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

    /// <summary>Puts or replaces a person's word (<paramref name="tidy"/> false while the view is made: it is ordered once at the end).</summary>
    internal void Set(int person, ulong word, bool tidy = true)
    {
        EnsurePersons(person + 1);
        var at = positionOf[person];
        if (at >= 0)
        {
            Tally(words[at], -1);
            if (at >= OrderedLength)
            {
                words[at] = word;
                Tally(word, +1);
                return;
            }

            // Its run is its old core combination's: it leaves a tombstone and joins the tail.
            words[at] = Tombstone;
            tombstones++;
        }

        if (Length == words.Length)
        {
            Array.Resize(ref words, words.Length * 2);
            Array.Resize(ref personAt, words.Length);
        }

        at = Length++;
        words[at] = word;
        personAt[at] = person;
        positionOf[person] = at;
        Tally(word, +1);
        if (tidy)
        {
            OrderWhenUntidy();
        }
    }

    /// <summary>Takes a person out (moved away, died, not yet there on the day).</summary>
    internal void Remove(int person)
    {
        if (person >= positionOf.Length || positionOf[person] is var at && at < 0)
        {
            return;
        }

        Tally(words[at], -1);
        positionOf[person] = -1;
        if (at < OrderedLength)
        {
            words[at] = Tombstone;
            tombstones++;
            OrderWhenUntidy();
            return;
        }

        // In the tail the last word fills the gap.
        var last = --Length;
        if (at != last)
        {
            words[at] = words[last];
            personAt[at] = personAt[last];
            positionOf[personAt[at]] = at;
        }
    }

    /// <summary>
    /// Puts every word in the run of its core combination (a counting sort), leaving no tail and no tombstone. The runs
    /// go by age, sex and residence type first, community last, so that the runs a filter on those keeps (the over-60s,
    /// women aged 15–59) lie side by side and are read as one stretch of memory, not one cache miss per run.
    /// </summary>
    internal void Order()
    {
        var entries = coreEntry.Count;
        var community = layout.Windows[0];
        var sortKeys = new long[entries];
        var runOfEntry = new int[entries];
        for (var e = 0; e < entries; e++)
        {
            var core = coreWords.Items[e];
            sortKeys[e] = ((long)(core >> community.Width) << 32) | (uint)(core & community.Mask);
            runOfEntry[e] = e;
        }

        var entryOfRun = (int[])runOfEntry.Clone();
        Array.Sort(sortKeys, entryOfRun);
        runCore = new int[entries];
        for (var r = 0; r < entries; r++)
        {
            runOfEntry[entryOfRun[r]] = r;
            runCore[r] = coreWords.Items[entryOfRun[r]];
        }

        var group = layout.Windows[CoreWindows - 1];
        var groups = new int[(1 << group.Width) + 1];
        foreach (var core in runCore)
        {
            groups[((core >> group.Shift) & group.Mask) + 1]++;
        }

        for (var g = 0; g + 1 < groups.Length; g++)
        {
            groups[g + 1] += groups[g];
        }

        var runOf = new int[Length];
        var start = new int[entries + 1];
        for (var i = 0; i < Length; i++)
        {
            if (words[i] != Tombstone)
            {
                runOf[i] = runOfEntry[coreEntry[(int)(words[i] & coreMask)]];
                start[runOf[i] + 1]++;
            }
        }

        for (var r = 0; r < entries; r++)
        {
            start[r + 1] += start[r];
        }

        var ordered = new ulong[Math.Max(16, start[entries] + (start[entries] / 8))];
        var orderedPerson = new int[ordered.Length];
        var next = start[..entries];
        for (var i = 0; i < Length; i++)
        {
            if (words[i] != Tombstone)
            {
                var to = next[runOf[i]]++;
                ordered[to] = words[i];
                orderedPerson[to] = personAt[i];
                positionOf[personAt[i]] = to;
            }
        }

        words = ordered;
        personAt = orderedPerson;
        runStart = start;
        groupStart = groups;
        Length = start[entries];
        tombstones = 0;
    }

    // Tail and tombstones cost a full evaluation or a skipped word each: past an eighth of the view, order again (a few
    // hundred milliseconds for the city, about once per million changes).
    private void OrderWhenUntidy()
    {
        if (Length - OrderedLength + tombstones > (People / 8) + 4096)
        {
            Order();
        }
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
