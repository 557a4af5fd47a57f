using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PopInfo.Analytics.Protection;

/// <summary>
/// The record key of the cell-key method for each version of a person: the first four bytes of
/// HMAC-SHA-256(secret, person id ‖ version). Uniform, fixed for a version, and unknowable without the secret — a
/// planner who could compute record keys could compute cell keys and undo the noise.
/// </summary>
public sealed class RecordKeys
{
    private readonly Func<byte[]> secret;

    public RecordKeys(CellKeySecret secret) => this.secret = () => secret.Value;

    /// <summary>With a fixed secret (tests and benchmarks).</summary>
    public RecordKeys(byte[] secret) => this.secret = () => secret;

    public uint Of(Guid id, int version)
    {
        Span<byte> message = stackalloc byte[20];
        id.TryWriteBytes(message);
        BinaryPrimitives.WriteInt32BigEndian(message[16..], version);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret(), message, mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac);
    }
}
