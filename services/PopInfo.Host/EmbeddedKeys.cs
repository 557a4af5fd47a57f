using System.Security.Cryptography;

namespace PopInfo.Host;

/// <summary>Keys the modules of the one process use with each other.</summary>
public static class EmbeddedKeys
{
    /// <summary>
    /// The embedded identity provider is the issuer every module trusts, at the address the host listens on
    /// (unless PopInfo:Identity:Issuer / PopInfo:Auth:Authority name another, e.g. a city's own provider).
    /// </summary>
    public static void UseOwnIssuer(ConfigurationManager configuration, int identityPort)
    {
        var address = configuration["PopInfo:Host:BindAddress"] is { Length: > 0 } bind && bind != "0.0.0.0" && bind != "::" ? bind : "127.0.0.1";
        var issuer = configuration["PopInfo:Identity:Issuer"] is { Length: > 0 } set ? set : $"http://{address}:{identityPort}/";
        configuration["PopInfo:Identity:Issuer"] = issuer;
        if (string.IsNullOrEmpty(configuration["PopInfo:Auth:Authority"]))
        {
            configuration["PopInfo:Auth:Authority"] = issuer;
        }
    }

    /// <summary>
    /// The platform services' OAuth clients: in one process the identity provider and the services read the same
    /// settings, so each service's client secret is the one set, else a random one for this run.
    /// </summary>
    public static void ShareClientSecrets(ConfigurationManager configuration, IEnumerable<string> services)
    {
        foreach (var service in services)
        {
            var key = $"PopInfo:Auth:Clients:{service}:Secret";
            if (string.IsNullOrEmpty(configuration[key]))
            {
                configuration[key] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
        }
    }

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
