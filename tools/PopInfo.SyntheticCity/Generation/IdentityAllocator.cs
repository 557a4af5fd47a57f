using PopInfo.Domain.Identity;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Hands out identity numbers that are unique by construction: for each (address code, birth date)
/// it keeps a count per sex and gives the next free three-digit sequence of the right parity (odd for
/// men, even for women; 500 of each). The order within the 500 starts at a place and steps by a stride
/// derived from the key, so numbers do not all begin 001, 003…. When all 500 are taken the birth date
/// moves by a day (+1, −1, +2, …), which is what an exhausted day looks like to anyone reading the data.
/// Two allocators can share the numbers of one city without meeting: each takes its own range of
/// places in that order (the living city the first 400, the people of its history the last 100).
/// </summary>
internal sealed class IdentityAllocator
{
    private const int SlotsPerSex = 500;

    /// <summary>The places in each day's order that the living city's allocator hands out.</summary>
    public const int LivingSlots = 400;

    // Strides coprime with 500, so a stride walks through every slot before repeating one.
    private static readonly int[] Strides = [1, 3, 7, 9, 11, 13, 17, 19, 21, 23, 27, 29, 31, 33, 37, 39];

    private readonly Dictionary<string, int> _codeIndex = new(StringComparer.Ordinal);
    private readonly List<ushort[]> _counts = [];
    private readonly int _firstDay;
    private readonly int _lastDay;
    private readonly int _firstSlot;
    private readonly int _slots;

    /// <param name="earliest">The earliest birth date that will be asked for.</param>
    /// <param name="latest">The latest birth date (the reference date): a date never moves past it.</param>
    /// <param name="firstSlot">The first place in each day's order this allocator may hand out.</param>
    /// <param name="slots">How many places from there (per sex and day).</param>
    public IdentityAllocator(DateOnly earliest, DateOnly latest, int firstSlot = 0, int slots = SlotsPerSex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSlot);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstSlot + slots, SlotsPerSex);
        _firstDay = earliest.DayNumber;
        _lastDay = latest.DayNumber;
        _firstSlot = firstSlot;
        _slots = slots;
    }

    /// <summary>How many times a birth date had to move because its 500 sequences were taken.</summary>
    public long DatesMoved { get; private set; }

    /// <summary>A new identity number; <paramref name="birthDate"/> comes back moved if its day was full.</summary>
    public string Allocate(string addressCode, ref DateOnly birthDate, bool male)
    {
        var counts = CountsFor(addressCode);
        var day = birthDate.DayNumber;
        for (var offset = 0; offset < 2 * (_lastDay - _firstDay + 1); offset++)
        {
            // 0, +1, -1, +2, -2, …
            var candidate = day + (offset % 2 == 1 ? (offset + 1) / 2 : -(offset / 2));
            if (candidate < _firstDay || candidate > _lastDay)
            {
                continue;
            }

            var slot = ((candidate - _firstDay) * 2) + (male ? 1 : 0);
            var taken = counts[slot];
            if (taken >= _slots)
            {
                continue;
            }

            counts[slot] = (ushort)(taken + 1);
            if (candidate != day)
            {
                DatesMoved++;
                birthDate = DateOnly.FromDayNumber(candidate);
            }

            var hash = Fnv.Hash(addressCode, "seq") ^ (uint)(candidate * 0x9E3779B1);
            var start = (int)(hash % SlotsPerSex);
            var stride = Strides[(hash >> 16) % (uint)Strides.Length];
            var position = (start + ((_firstSlot + taken) * stride)) % SlotsPerSex;
            return IdentityNumber.Create(addressCode, birthDate, (position * 2) + (male ? 1 : 0));
        }

        throw new InvalidOperationException($"Every birth date for address code {addressCode} is exhausted.");
    }

    private ushort[] CountsFor(string addressCode)
    {
        if (!_codeIndex.TryGetValue(addressCode, out var index))
        {
            index = _counts.Count;
            _codeIndex[addressCode] = index;
            _counts.Add(new ushort[(_lastDay - _firstDay + 1) * 2]);
        }

        return _counts[index];
    }
}
