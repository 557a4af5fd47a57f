using System.Security.Cryptography;
using System.Text;

namespace PopInfo.Exchange.Access;

/// <summary>
/// The secrets the exchange hands out. Keys are 256 random bits, so a plain SHA-256 is enough to store
/// them (no password stretching needed); webhook secrets follow the Standard Webhooks form <c>whsec_&lt;base64&gt;</c>.
/// </summary>
public static class Secrets
{
    public const string ApiKeyPrefix = "pik_";
    public const string WebhookSecretPrefix = PopInfo.ServiceDefaults.Webhooks.WebhookSignature.SecretPrefix;

    public static string NewApiKey() => ApiKeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewWebhookSecret() => WebhookSecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>A RabbitMQ password: URL-safe so that it can sit in an amqp:// URI unescaped.</summary>
    public static string NewBrokerPassword() => Base64Url(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool EqualHashes(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
