namespace PopInfo.Domain.Access;

/// <summary>What a stored password hash must look like to be taken as it is.</summary>
public static class PasswordHashes
{
    /// <summary>
    /// ASP.NET Core Identity's version 3 format, base64: a 0x01 marker, PRF, iteration count, salt length (each a
    /// big-endian uint), then salt and subkey — at least 13 header bytes, a 16-byte salt and a 32-byte subkey.
    /// </summary>
    public static bool IsPbkdf2V3(string? hash)
    {
        if (string.IsNullOrEmpty(hash) || hash.Length > 512)
        {
            return false;
        }

        var bytes = new byte[hash.Length];
        if (!Convert.TryFromBase64String(hash, bytes, out var length) || length < 13 + 16 + 32 || bytes[0] != 0x01)
        {
            return false;
        }

        var saltLength = (bytes[9] << 24) | (bytes[10] << 16) | (bytes[11] << 8) | bytes[12];
        return saltLength >= 16 && 13 + saltLength < length;
    }
}
