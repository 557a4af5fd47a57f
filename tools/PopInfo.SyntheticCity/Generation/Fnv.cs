namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// 32-bit FNV-1a over a string's UTF-16 code units: a stable hash for choices that must depend only
/// on a region code (its roads, its old district), never on the seed or on the run.
/// string.GetHashCode is randomised per process, so it cannot be used for that.
/// </summary>
internal static class Fnv
{
    public static uint Hash(string text, string purpose)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        foreach (var c in purpose)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    /// <summary>min ≤ result ≤ max, chosen by the hash.</summary>
    public static int Between(uint hash, int min, int max) => min + (int)(hash % (uint)(max - min + 1));
}
