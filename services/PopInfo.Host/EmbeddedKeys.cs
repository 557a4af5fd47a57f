using System.Security.Cryptography;

namespace PopInfo.Host;

/// <summary>Keys the modules of the one process use with each other.</summary>
public static class EmbeddedKeys
{
    /// <summary>
    /// The desk asks the exchange where a form went with the exchange's status key. In one process both sides are
    /// configured here with the same key — the one set, else a random one for this run.
    /// </summary>
    public static void ShareStatusKey(ConfigurationManager configuration)
    {
        var key = configuration["PopInfo:Exchange:StatusKey"];
        if (string.IsNullOrEmpty(key))
        {
            key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            configuration["PopInfo:Exchange:StatusKey"] = key;
        }

        if (string.IsNullOrEmpty(configuration["PopInfo:Collection:ExchangeKey"]))
        {
            configuration["PopInfo:Collection:ExchangeKey"] = key;
        }
    }
}
