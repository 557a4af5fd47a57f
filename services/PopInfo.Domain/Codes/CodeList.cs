using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace PopInfo.Domain.Codes;

/// <summary>
/// A national code list (GB or GB/T standard): its entries in the standard's order and a lookup by code.
/// Codes are strings, never numbers, because leading zeros are part of them ("01" 汉族).
/// </summary>
public sealed class CodeList
{
    private readonly FrozenDictionary<string, CodeEntry> _byCode;

    /// <exception cref="ArgumentException">A code appears twice.</exception>
    public CodeList(string name, string standard, IReadOnlyList<CodeEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(standard);
        ArgumentNullException.ThrowIfNull(entries);

        var byCode = new Dictionary<string, CodeEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!byCode.TryAdd(entry.Code, entry))
            {
                throw new ArgumentException($"Code '{entry.Code}' appears twice in code list '{name}'.", nameof(entries));
            }
        }

        Name = name;
        Standard = standard;
        Entries = new ReadOnlyCollection<CodeEntry>([.. entries]);
        _byCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A short machine name such as "sex" or "ethnicity".</summary>
    public string Name { get; }

    /// <summary>The standard the codes come from, e.g. "GB/T 2261.1-2003".</summary>
    public string Standard { get; }

    /// <summary>The entries in the order the standard lists them.</summary>
    public IReadOnlyList<CodeEntry> Entries { get; }

    public bool Contains([NotNullWhen(true)] string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>The Chinese name the standard gives the code, or null when the code is not in the list.</summary>
    public string? NameOf(string code) => _byCode.TryGetValue(code, out var entry) ? entry.ChineseName : null;

    public bool TryGet([NotNullWhen(true)] string? code, [MaybeNullWhen(false)] out CodeEntry entry)
    {
        if (code is null)
        {
            entry = null;
            return false;
        }

        return _byCode.TryGetValue(code, out entry);
    }

    public override string ToString() => $"{Name} ({Standard}, {Entries.Count} codes)";
}
