using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// The service's key-encryption key (derived from the master key) and what to say when it does not fit. One per
/// service's own Data Protection container, where <see cref="KeyRingDecryptor"/> finds it.
/// </summary>
public sealed class KeyEncryptionKey(byte[] key, string serviceName, string keyFile)
{
    internal byte[] Key { get; } = key;

    /// <summary>Names the key without revealing it, so that a key ring written with another key is reported as such.</summary>
    internal string Fingerprint { get; } = Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    internal string ServiceName { get; } = serviceName;

    internal string KeyFile { get; } = keyFile;

    internal CryptographicException WrongKey() => new(
        $"{MasterKey.Setting}: the master key in '{KeyFile}' does not open the {ServiceName} key ring in its database " +
        "(the ring was protected with another master key). Give the key file the ring was created with.");
}

/// <summary>
/// Wraps each Data Protection key's XML with AES-256-GCM under the service's key-encryption key before it is stored
/// (<c>&lt;wrappedKey kek="fingerprint"&gt;base64(nonce | ciphertext | tag)&lt;/wrappedKey&gt;</c>).
/// </summary>
internal sealed class KeyRingEncryptor(KeyEncryptionKey kek) : IXmlEncryptor
{
    internal const string Element = "wrappedKey";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(kek.Key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Aad(kek));
        return new EncryptedXmlInfo(new XElement(Element, new XAttribute("kek", kek.Fingerprint), Convert.ToBase64String(sealedBytes)), typeof(KeyRingDecryptor));
    }

    internal static XElement Decrypt(KeyEncryptionKey kek, XElement encryptedElement)
    {
        if (encryptedElement.Name != Element || (string?)encryptedElement.Attribute("kek") != kek.Fingerprint)
        {
            throw kek.WrongKey();
        }

        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek.Key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain, Aad(kek));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw kek.WrongKey();
        }

        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }

    // The service's name is bound in: a wrapped key copied into another service's ring does not open there.
    private static byte[] Aad(KeyEncryptionKey kek) => Encoding.UTF8.GetBytes("popinfo-key-ring/" + kek.ServiceName);
}

/// <summary>
/// Data Protection creates its decryptor from the type name stored beside a wrapped key, in the service's own
/// container, with that container as its only argument.
/// </summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        KeyRingEncryptor.Decrypt(services.GetRequiredService<KeyEncryptionKey>(), encryptedElement);
}
