namespace PopInfo.Domain.Regions;

/// <summary>
/// Hashes that give the same value on every machine, process and .NET version.
/// string.GetHashCode is randomised per process, and System.Random's algorithm is not a contract,
/// so neither may decide anything that must be reproducible.
/// </summary>
internal static class StableHash
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>32-bit FNV-1a over the UTF-16 code units of the text, low byte first.</summary>
    public static uint Fnv1a(string text)
    {
        var hash = FnvOffsetBasis;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ (byte)c) * FnvPrime);
            hash = unchecked((hash ^ (byte)(c >> 8)) * FnvPrime);
        }

        return hash;
    }

    /// <summary>
    /// The index-th value of a stream seeded by <paramref name="seed"/>: the golden-ratio step spreads
    /// consecutive indexes, MurmurHash3's finaliser mixes the bits.
    /// </summary>
    public static uint Mix(uint seed, int index)
    {
        var x = unchecked(seed + ((uint)index * 0x9E3779B9u));
        x ^= x >> 16;
        x = unchecked(x * 0x85EBCA6Bu);
        x ^= x >> 13;
        x = unchecked(x * 0xC2B2AE35u);
        x ^= x >> 16;
        return x;
    }
}
