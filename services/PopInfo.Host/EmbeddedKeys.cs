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
        var address = LoopbackOrBound(configuration);
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
    /// The desk signs people in at the embedded provider (authorization code with PKCE): the provider knows it as the
    /// application <c>popinfo-desk</c> with its addresses (by 127.0.0.1 and by localhost, as a browser may name either),
    /// both sides with the one secret set (<c>PopInfo:Collection:SignIn:ClientSecret</c>), else a random one for this run.
    /// </summary>
    public static void RegisterDesk(ConfigurationManager configuration, int deskPort) =>
        RegisterApplication(configuration, "desk", "PopInfo:Collection:SignIn", "popinfo-desk", deskPort, "/signin-oidc", "/signout-callback-oidc");

    /// <summary>
    /// The planners' dashboard signs people in at the embedded provider as the application <c>popinfo-dashboard</c>
    /// (<c>PopInfo:Identity:Applications:dashboard</c>), secret <c>PopInfo:Analytics:SignIn:ClientSecret</c> or a random one.
    /// </summary>
    public static void RegisterDashboard(ConfigurationManager configuration, int analyticsPort) =>
        RegisterApplication(configuration, "dashboard", "PopInfo:Analytics:SignIn", "popinfo-dashboard", analyticsPort,
            "/dashboard/signin-oidc", "/dashboard/signout-callback-oidc");

    /// <summary>
    /// The access report's page signs auditors in at the embedded provider as the application <c>popinfo-access-report</c>
    /// (<c>PopInfo:Identity:Applications:report</c>), secret <c>PopInfo:Sharing:SignIn:ClientSecret</c> or a random one.
    /// </summary>
    public static void RegisterAccessReport(ConfigurationManager configuration, int sharingPort) =>
        RegisterApplication(configuration, "report", "PopInfo:Sharing:SignIn", "popinfo-access-report", sharingPort,
            "/access-report/signin-oidc", "/access-report/signout-callback-oidc");

    /// <summary>
    /// The monitoring dashboard signs operators and auditors in at the embedded provider as the application
    /// <c>popinfo-monitor</c> (<c>PopInfo:Identity:Applications:monitor</c>), secret <c>PopInfo:Monitoring:SignIn:ClientSecret</c> or a random one.
    /// </summary>
    public static void RegisterMonitor(ConfigurationManager configuration, int monitoringPort) =>
        RegisterApplication(configuration, "monitor", "PopInfo:Monitoring:SignIn", "popinfo-monitor", monitoringPort,
            "/monitor/signin-oidc", "/monitor/signout-callback-oidc");

    /// <summary>
    /// An application people sign in to at the embedded provider (<c>PopInfo:Identity:Applications:{name}</c>), unless
    /// the settings register it already: its client id, the one secret both sides read (<c>{signInSection}:ClientSecret</c>,
    /// else a random one for this run) and its addresses by 127.0.0.1 and by localhost.
    /// </summary>
    private static void RegisterApplication(
        ConfigurationManager configuration, string name, string signInSection, string defaultClientId, int port, string callbackPath, string signedOutPath)
    {
        var application = $"PopInfo:Identity:Applications:{name}";
        if (!string.IsNullOrEmpty(configuration[$"{application}:ClientId"]))
        {
            return;
        }

        var secret = configuration[$"{signInSection}:ClientSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            configuration[$"{signInSection}:ClientSecret"] = secret;
        }

        configuration[$"{application}:ClientId"] = configuration[$"{signInSection}:ClientId"] ?? defaultClientId;
        configuration[$"{application}:Secret"] = secret;
        var address = LoopbackOrBound(configuration);
        string[] hosts = address == "127.0.0.1" ? [address, "localhost"] : [address];
        for (var i = 0; i < hosts.Length; i++)
        {
            configuration[$"{application}:RedirectUris:{i}"] = $"http://{hosts[i]}:{port}{callbackPath}";
            configuration[$"{application}:PostLogoutRedirectUris:{i}"] = $"http://{hosts[i]}:{port}{signedOutPath}";
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

    /// <summary>The address the host's own links name: the bound one, or loopback when it binds every address.</summary>
    public static string LoopbackOrBound(IConfiguration configuration) =>
        configuration["PopInfo:Host:BindAddress"] is { Length: > 0 } bind && bind != "0.0.0.0" && bind != "::" ? bind : "127.0.0.1";
}
