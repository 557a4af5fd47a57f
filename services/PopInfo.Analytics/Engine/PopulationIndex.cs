using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Records;
using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics.Engine;

/// <summary>
/// Every version of every person, in memory, column by column: what each table is counted from. A version is
/// valid in the city's calendar from the day it happened until the day a later version happened (the "occurred"
/// basis), and known from the day it was recorded until a later version was recorded (the "recorded" basis). A
/// version counts in the population of a day when it is valid on it and the person then lived in a community of
/// the city. Versions are keyed by (person, version): a repeat is ignored and an older version, arriving late,
/// takes its place below the newer one without overwriting it. Reads share a lock; applying a batch takes it
/// alone, briefly.
/// </summary>
public sealed class PopulationIndex : IDisposable
{
    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<Guid, int> personIndex = [];
    private readonly List<DayView> dayViews = [];
    private readonly Lock dayViewGate = new();
    private readonly int dayViewCapacity;
    private GrowableColumn<int> latestRow = new(1024);
    private GrowableColumn<int> personOfRow = new(1024);
    private readonly Dictionary<Guid, int> householdIndex = [];
    private GrowableColumn<uint> householdKey = new(1024);
    private readonly RowList[] rowsOfCommunity;
    private readonly RowList[] rowsLeavingCommunity;
    private readonly RecordKeys keys;

    private GrowableColumn<int> community = new(1024);
    private GrowableColumn<int> previousCommunity = new(1024);
    private GrowableColumn<int> lowerRow = new(1024);
    private GrowableColumn<int> version = new(1024);
    private GrowableColumn<byte> changeType = new(1024);
    private GrowableColumn<byte> sex = new(1024);
    private GrowableColumn<int> birthDay = new(1024);
    private GrowableColumn<byte> residenceType = new(1024);
    private GrowableColumn<byte> education = new(1024);
    private GrowableColumn<byte> marital = new(1024);
    private GrowableColumn<byte> ethnicity = new(1024);
    private GrowableColumn<int> household = new(1024);
    private GrowableColumn<byte> province = new(1024);
    private GrowableColumn<byte> reason = new(1024);
    private GrowableColumn<int> validFrom = new(1024);
    private GrowableColumn<int> validTo = new(1024);
    private GrowableColumn<int> knownFrom = new(1024);
    private GrowableColumn<int> knownTo = new(1024);
    private GrowableColumn<uint> rowKey = new(1024);
    private int rowCount;
    private int earliestBirthDay = int.MaxValue;

    /// <summary>An empty index keeping up to <paramref name="dayViews"/> day views (each holds every person counted on its day).</summary>
    public PopulationIndex(Categories categories, RecordKeys keys, int dayViews = 3)
    {
        Categories = categories;
        Layout = new PackedLayout(categories);
        dayViewCapacity = Math.Max(1, dayViews);
        this.keys = keys;
        rowsOfCommunity = [.. categories.Communities.Select(_ => new RowList())];
        rowsLeavingCommunity = [.. categories.Communities.Select(_ => new RowList())];
    }

    public Categories Categories { get; }

    public PackedLayout Layout { get; }

    /// <summary>Bumped by every batch that changed something: results computed at one generation hold until the next.</summary>
    public long Generation { get; private set; }

    public int RowCount => rowCount;

    public int PersonCount => personIndex.Count;

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// The projection's position the index holds, set with the versions that brought it (under the same lock): a read sees
    /// rows and position together. Unknown (null) while a snapshot loads.
    /// </summary>
    public ProjectionPosition? Position { get; private set; }

    /// <summary>Applies versions; those already present are ignored. Returns how many were new.</summary>
    public int Apply(IEnumerable<PersonFacts> versions, ProjectionPosition? position = null)
    {
        gate.EnterWriteLock();
        try
        {
            Position = position ?? Position;
            var added = 0;
            foreach (var v in versions)
            {
                added += Add(v) ? 1 : 0;
            }

            if (added > 0)
            {
                Generation++;
            }

            return added;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Forgets everything (before a rebuild is loaded).</summary>
    public void Clear()
    {
        gate.EnterWriteLock();
        try
        {
            personIndex.Clear();
            householdIndex.Clear();
            lock (dayViewGate)
            {
                dayViews.Clear();
            }

            foreach (var list in rowsOfCommunity.Concat(rowsLeavingCommunity))
            {
                list.Clear();
            }

            rowCount = 0;
            earliestBirthDay = int.MaxValue;
            Position = null;
            Generation++;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Runs a read over a consistent state of the index.</summary>
    public T Read<T>(Func<IndexView, T> read)
    {
        gate.EnterReadLock();
        try
        {
            return read(new IndexView(this));
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private bool Add(PersonFacts v)
    {
        // The person's versions are a chain from the newest down; find where this one belongs.
        var higher = -1;
        var known = personIndex.TryGetValue(v.Person_Id, out var person);
        var lower = known ? latestRow.Items[person] : -1;
        while (lower >= 0 && version.Items[lower] > v.Version)
        {
            higher = lower;
            lower = lowerRow.Items[lower];
        }

        if (lower >= 0 && version.Items[lower] == v.Version)
        {
            return false;
        }

        if (!known)
        {
            person = personIndex.Count;
            personIndex[v.Person_Id] = person;
            latestRow.EnsureCapacity(person + 1);
        }

        var r = rowCount;
        Grow(r + 1);
        personOfRow.Items[r] = person;
        var living = v.Status == PersonStatus.Living;
        previousCommunity.Items[r] = -1;
        community.Items[r] = living ? Categories.CommunityOf(v.Residence_Region_Code) : -1;
        version.Items[r] = v.Version;
        changeType.Items[r] = Categories.ChangeTypeOf(v.Change_Type);
        sex.Items[r] = Categories.Coded(Categories.Sex, v.Sex);
        birthDay.Items[r] = v.Birth_Date.DayNumber;
        residenceType.Items[r] = Categories.ResidenceTypeOf(v.Residence_Type);
        education.Items[r] = Categories.Coded(Categories.Education, v.Education);
        marital.Items[r] = Categories.Coded(Categories.MaritalStatus, v.Marital_Status);
        ethnicity.Items[r] = Categories.Coded(Categories.Ethnicity, v.Ethnicity);
        household.Items[r] = v.Household_Id is { } h ? HouseholdOf(h) : -1;
        province.Items[r] = Categories.ProvinceOf(v.Origin_Region_Code);
        reason.Items[r] = Categories.ReasonOf(v.Migrant_Reason);
        validFrom.Items[r] = ChinaTime.DateOf(v.Occurred_At).DayNumber;
        knownFrom.Items[r] = ChinaTime.DateOf(v.Recorded_At).DayNumber;
        rowKey.Items[r] = Layout.KeepKeyBits(keys.Of(v.Person_Id, v.Version));
        earliestBirthDay = Math.Min(earliestBirthDay, birthDay.Items[r]);

        // Valid until the earliest later version happened; known until the next was recorded.
        validTo.Items[r] = higher < 0 ? int.MaxValue : Math.Min(validFrom.Items[higher], validTo.Items[higher]);
        knownTo.Items[r] = higher < 0 ? int.MaxValue : Math.Min(knownFrom.Items[higher], knownTo.Items[higher]);
        for (var w = lower; w >= 0; w = lowerRow.Items[w])
        {
            validTo.Items[w] = Math.Min(validTo.Items[w], validFrom.Items[r]);
            knownTo.Items[w] = Math.Min(knownTo.Items[w], knownFrom.Items[r]);
        }

        lowerRow.Items[r] = lower;
        if (higher < 0)
        {
            latestRow.Items[person] = r;
        }
        else
        {
            lowerRow.Items[higher] = r;
            SetPreviousCommunity(higher, community.Items[r]);
        }

        rowCount++;
        SetPreviousCommunity(r, lower >= 0 ? community.Items[lower] : -1);
        if (community.Items[r] >= 0)
        {
            rowsOfCommunity[community.Items[r]].Add(r);
        }

        foreach (var dayView in dayViews)
        {
            Refresh(dayView, person);
        }

        return true;
    }

    // A person's entry in a day view after a version of theirs arrived: the version valid on the view's day, if they
    // then lived in a community of the city.
    private void Refresh(DayView dayView, int person)
    {
        var (from, to) = dayView.Basis == TimeBasis.Occurred ? (validFrom.Items, validTo.Items) : (knownFrom.Items, knownTo.Items);
        for (var w = latestRow.Items[person]; w >= 0; w = lowerRow.Items[w])
        {
            if (from[w] <= dayView.Day && dayView.Day < to[w])
            {
                if (community.Items[w] >= 0)
                {
                    dayView.Set(person, PackRow(dayView, w));
                    return;
                }

                break;
            }
        }

        dayView.Remove(person);
    }

    private ulong PackRow(DayView dayView, int r) => Layout.Pack(rowKey.Items[r], community.Items[r], dayView.AgeOf(birthDay.Items[r]), sex.Items[r],
        residenceType.Items[r], education.Items[r], marital.Items[r], ethnicity.Items[r], province.Items[r], reason.Items[r]);

    // The view of a day, made from every row when no kept view has it (under the read lock, so no batch is applied
    // meanwhile; the views' own lock keeps two reads from making the same one). The least recently used view goes.
    private DayView DayViewOf(int day, TimeBasis basis)
    {
        lock (dayViewGate)
        {
            var found = dayViews.Find(v => v.Day == day && v.Basis == basis);
            if (found is null)
            {
                // Sized like the largest kept view (most days hold about as many people), else for everyone ever seen.
                var expected = dayViews.Count > 0 ? dayViews.Max(v => v.People) + 4096 : personIndex.Count;
                found = new DayView(Layout, day, basis, personIndex.Count, earliestBirthDay, expected);
                var (from, to) = basis == TimeBasis.Occurred ? (validFrom.Items, validTo.Items) : (knownFrom.Items, knownTo.Items);
                for (var r = 0; r < rowCount; r++)
                {
                    if (community.Items[r] >= 0 && from[r] <= day && day < to[r])
                    {
                        found.Set(personOfRow.Items[r], PackRow(found, r), tidy: false);
                    }
                }

                found.Order();
                if (dayViews.Count >= dayViewCapacity)
                {
                    dayViews.Remove(dayViews.MinBy(v => v.LastUsed)!);
                }

                dayViews.Add(found);
            }

            found.LastUsed = Environment.TickCount64;
            return found;
        }
    }

    // A row leaves a community when the version before it lived there and it does not: deaths, departures, moves.
    private void SetPreviousCommunity(int r, int value)
    {
        var old = r < rowCount ? previousCommunity.Items[r] : -1;
        if (r < rowCount && old >= 0 && old != community.Items[r])
        {
            rowsLeavingCommunity[old].Remove(r);
        }

        previousCommunity.Items[r] = value;
        if (value >= 0 && value != community.Items[r])
        {
            rowsLeavingCommunity[value].Add(r);
        }
    }

    private int HouseholdOf(Guid id)
    {
        if (!householdIndex.TryGetValue(id, out var index))
        {
            index = householdIndex.Count;
            householdIndex[id] = index;
            householdKey.EnsureCapacity(index + 1);
            householdKey.Items[index] = keys.Of(id, 0);
        }

        return index;
    }

    private void Grow(int count)
    {
        community.EnsureCapacity(count);
        personOfRow.EnsureCapacity(count);
        previousCommunity.EnsureCapacity(count);
        lowerRow.EnsureCapacity(count);
        version.EnsureCapacity(count);
        changeType.EnsureCapacity(count);
        sex.EnsureCapacity(count);
        birthDay.EnsureCapacity(count);
        residenceType.EnsureCapacity(count);
        education.EnsureCapacity(count);
        marital.EnsureCapacity(count);
        ethnicity.EnsureCapacity(count);
        household.EnsureCapacity(count);
        province.EnsureCapacity(count);
        reason.EnsureCapacity(count);
        validFrom.EnsureCapacity(count);
        validTo.EnsureCapacity(count);
        knownFrom.EnsureCapacity(count);
        knownTo.EnsureCapacity(count);
        rowKey.EnsureCapacity(count);
    }

    /// <summary>The index's columns as a read sees them (only valid inside <see cref="Read{T}"/>).</summary>
    public readonly struct IndexView(PopulationIndex index)
    {
        public int RowCount => index.rowCount;
        public int HouseholdCount => index.householdIndex.Count;
        public int EarliestBirthDay => index.earliestBirthDay;
        public Categories Categories => index.Categories;
        public int[] Community => index.community.Items;
        public int[] PreviousCommunity => index.previousCommunity.Items;
        public byte[] ChangeType => index.changeType.Items;
        public byte[] Sex => index.sex.Items;
        public int[] BirthDay => index.birthDay.Items;
        public byte[] ResidenceType => index.residenceType.Items;
        public byte[] Education => index.education.Items;
        public byte[] Marital => index.marital.Items;
        public byte[] Ethnicity => index.ethnicity.Items;
        public int[] Household => index.household.Items;
        public byte[] Province => index.province.Items;
        public byte[] Reason => index.reason.Items;
        public int[] ValidFrom => index.validFrom.Items;
        public int[] ValidTo => index.validTo.Items;
        public int[] KnownFrom => index.knownFrom.Items;
        public int[] KnownTo => index.knownTo.Items;
        public uint[] RowKey => index.rowKey.Items;
        public uint[] HouseholdKey => index.householdKey.Items;
        public long Generation => index.Generation;
        public ProjectionPosition? Position => index.Position;

        public PackedLayout Layout => index.Layout;

        /// <summary>The people counted on a day on a basis, packed (made on first use, then kept current).</summary>
        public DayView DayView(int day, TimeBasis basis) => index.DayViewOf(day, basis);

        public ReadOnlySpan<int> RowsOfCommunity(int c) => index.rowsOfCommunity[c].Rows;

        public (int[] Rows, int Count) RowArrayOfCommunity(int c) => (index.rowsOfCommunity[c].Array, index.rowsOfCommunity[c].Count);

        public ReadOnlySpan<int> RowsLeavingCommunity(int c) => index.rowsLeavingCommunity[c].Rows;
    }
}

/// <summary>The projection's gap-free low watermark and how many sequences above it are already applied.</summary>
public sealed record ProjectionPosition(long Watermark, long PendingAbove);
