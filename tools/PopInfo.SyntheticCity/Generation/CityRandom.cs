namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same seed gives the same stream on every machine and
/// every .NET version. System.Random's algorithm is not a contract, and floating point is avoided in
/// every draw (only integer arithmetic), so no platform difference in rounding can change a person.
/// </summary>
internal sealed class CityRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public CityRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>0 ≤ result &lt; <paramref name="bound"/>, by Lemire's multiply-high (bias below 2^-32 for our bounds).</summary>
    public int Next(int bound)
    {
        var product = (UInt128)NextUInt64() * (uint)bound;
        return (int)(product >> 64);
    }

    /// <summary>min ≤ result ≤ max.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>True with probability <paramref name="perMille"/>/1000.</summary>
    public bool PerMille(int perMille) => Next(1000) < perMille;

    /// <summary>A deterministic per-purpose child stream, so adding draws in one place never shifts another.</summary>
    public static ulong Derive(ulong seed, ulong purpose)
    {
        var x = seed ^ (purpose * 0x9E3779B97F4A7C15UL);
        return SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
