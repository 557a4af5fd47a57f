using System.Security.Cryptography;
using System.Text;

namespace PopInfo.ServiceDefaults.Webhooks;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): <c>v1,</c> + base64 HMAC-SHA256 of
/// <c>"{id}.{timestamp}.{body}"</c> keyed with the secret's bytes (base64 after <c>whsec_</c>). The id and the
/// timestamp are signed too, so a receiver that rejects old timestamps and remembers ids cannot be replayed. One scheme for
/// every webhook the platform sends: the exchange's deliveries to departments and the monitoring service's alerts.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The prefix of a Standard Webhooks secret: <c>whsec_</c> + base64 of the key.</summary>
    public const string SecretPrefix = "whsec_";

    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>What a receiver does (also used by the tests): signature matches and the timestamp is within the tolerance.</summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signatureHeader, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, id, seconds, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
}
