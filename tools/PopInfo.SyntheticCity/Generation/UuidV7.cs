namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Deterministic UUIDv7 (RFC 9562): a 48-bit millisecond timestamp, the version and variant bits, and
/// 74 bits from the seeded stream. Guid.CreateVersion7 fills those bits from the OS's random source,
/// so the same seed would give other ids on every run. Each id here takes its own millisecond
/// (<c>epoch + ordinal</c>), which makes ids unique by construction and keeps them in generation order,
/// the order in which the primary-key index likes them.
/// </summary>
internal static class UuidV7
{
    public static Guid Create(long unixMilliseconds, CityRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)unixMilliseconds;
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (40 - (8 * i)));
        }

        var r = random.NextUInt64();
        var r2 = random.NextUInt64();
        bytes[6] = (byte)(0x70 | (int)(r & 0x0F));
        bytes[7] = (byte)(r >> 8);
        bytes[8] = (byte)(0x80 | (int)((r >> 16) & 0x3F));
        for (var i = 9; i < 16; i++)
        {
            bytes[i] = (byte)(r2 >> (8 * (i - 9)));
        }

        return new Guid(bytes, bigEndian: true);
    }
}
