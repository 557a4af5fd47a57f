using System.Numerics;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics.Engine;

/// <summary>
/// How a day view packs a person's fields into one 64-bit word: each field its own bits, the fields grouped into
/// windows of at most <see cref="WindowBits"/> bits. A query turns each window its bindings touch into one look-up table
/// over every value the window can hold, so a person is counted with one look-up per window, not one per dimension
/// (age, sex and residence type, for example, share a window). The bits the fields leave (at most
/// <see cref="MaxKeyBits"/>) hold the top bits of the person's record key, so that a count reads one word per person.
/// </summary>
public sealed class PackedLayout
{
    /// <summary>A window's look-up table has 2^bits entries: 4,096 ints (16 KB) stay in the first-level cache.</summary>
    public const int WindowBits = 12;

    /// <summary>The age packed for someone not yet born on the day (no category holds it).</summary>
    public const int NotBorn = 127;

    /// <summary>
    /// A record key keeps its top 16–20 bits (the cell-key method needs keys uniform over some range; the ABS and ONS
    /// implementations use 256 values). At most 20, so that a count can add a key and a one into the same 64-bit
    /// accumulator for a million people: 20 + 20 bits of key sum, 24 bits of count.
    /// </summary>
    public const int MaxKeyBits = 20;

    private const int MinKeyBits = 16;

    public PackedLayout(Categories categories)
    {
        (Source Source, int Width)[] widths =
        [
            // Each field has room for one value more than it holds, so that no person's field, and so no person's window,
            // is all ones: a view's tombstone is, and every look-up table drops it. (Age's all ones is NotBorn.)
            (Source.Community, BitsFor(categories.Communities.Count)),
            (Source.BirthDay, BitsFor(NotBorn)),
            (Source.Sex, BitsFor(Categories.Sex.Entries.Count + 1)),
            (Source.ResidenceType, BitsFor(Categories.ResidenceTypes.Count + 1)),
            (Source.Education, BitsFor(Categories.Education.Entries.Count + 1)),
            (Source.Marital, BitsFor(Categories.MaritalStatus.Entries.Count + 1)),
            (Source.Ethnicity, BitsFor(Categories.Ethnicity.Entries.Count + 1)),
            (Source.Province, BitsFor(Categories.Province.Entries.Count + 1)),
            (Source.Reason, BitsFor(MigrantReasons.All.Count + 1)),
        ];

        var fields = new List<PackedField>();
        var windows = new List<PackedWindow>();
        var shift = 0;
        var windowStart = 0;
        foreach (var (source, width) in widths)
        {
            if (width > WindowBits)
            {
                throw new InvalidOperationException($"{source} needs {width} bits, more than a window's {WindowBits}.");
            }

            if (shift + width - windowStart > WindowBits)
            {
                windows.Add(new PackedWindow(windowStart, shift - windowStart, windows.Count));
                windowStart = shift;
            }

            fields.Add(new PackedField(source, shift, width, windows.Count));
            shift += width;
        }

        windows.Add(new PackedWindow(windowStart, shift - windowStart, windows.Count));
        KeyShift = shift;
        KeyBits = Math.Min(MaxKeyBits, 64 - shift);
        if (KeyBits < MinKeyBits)
        {
            throw new InvalidOperationException($"The packed fields need {shift} bits, leaving fewer than {MinKeyBits} for the record key.");
        }

        Fields = fields;
        Windows = windows;
        Communities = categories.Communities.Count;
    }

    /// <summary>How many communities a word's community field can name (values from 0).</summary>
    public int Communities { get; }

    public IReadOnlyList<PackedField> Fields { get; }

    public IReadOnlyList<PackedWindow> Windows { get; }

    /// <summary>Where the record key's bits start in the word.</summary>
    public int KeyShift { get; }

    /// <summary>How many bits of a record key are kept.</summary>
    public int KeyBits { get; }

    /// <summary>A record key as every count sums it: its top <see cref="KeyBits"/> bits, the rest zero.</summary>
    public uint KeepKeyBits(uint key) => key >> (32 - KeyBits) << (32 - KeyBits);

    public PackedField FieldOf(Source source) => Fields.First(f => f.Source == source);

    /// <summary>The word for one person on a day: community, age in completed years (or <see cref="NotBorn"/>) and codes.</summary>
    public ulong Pack(uint key, int community, int age, byte sex, byte residenceType, byte education, byte marital, byte ethnicity, byte province, byte reason)
    {
        var word = (ulong)(key >> (32 - KeyBits)) << KeyShift;
        foreach (var f in Fields)
        {
            var value = f.Source switch
            {
                Source.Community => community,
                Source.BirthDay => age is < 0 or > Ages.OpenEnded ? (age < 0 ? NotBorn : Ages.OpenEnded) : age,
                Source.Sex => sex,
                Source.ResidenceType => residenceType,
                Source.Education => education,
                Source.Marital => marital,
                Source.Ethnicity => ethnicity,
                Source.Province => province,
                _ => reason,
            };
            word |= (ulong)(uint)value << f.Shift;
        }

        return word;
    }

    private static int BitsFor(int largest) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)largest));
}

/// <summary>A field's place in the packed word and the window it belongs to.</summary>
public sealed record PackedField(Source Source, int Shift, int Width, int Window)
{
    public int Mask => (1 << Width) - 1;
}

/// <summary>A run of adjacent fields read with one look-up.</summary>
public sealed record PackedWindow(int Shift, int Width, int Number)
{
    public int Mask => (1 << Width) - 1;
}
