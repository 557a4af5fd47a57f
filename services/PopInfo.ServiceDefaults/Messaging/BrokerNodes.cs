using RabbitMQ.Client;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// The RabbitMQ nodes a connection may use: <see cref="BusOptions.RabbitMqNodes"/> when it lists a cluster, else the
/// host of <see cref="BusOptions.RabbitMqUri"/>. RabbitMQ.Client tries the endpoints in turn until one answers.
/// </summary>
public static class BrokerNodes
{
    public static IReadOnlyList<AmqpTcpEndpoint> Of(BusOptions bus)
    {
        var uri = bus.RabbitMqUri ?? throw new InvalidOperationException("PopInfo:Bus:RabbitMqUri is not set.");
        var nodes = Parse(bus.RabbitMqNodes);
        return nodes.Count == 0
            ? [new AmqpTcpEndpoint(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? AmqpTcpEndpoint.UseDefaultPort : uri.Port)]
            : [.. nodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port))];
    }

    /// <summary>The setting <see cref="Parse"/> reads.</summary>
    public const string Setting = "PopInfo:Bus:RabbitMqNodes";

    /// <summary>
    /// "host:port" entries, comma-separated; a missing port is 5672. Checked at start (<see cref="Problems"/>, by the platform's
    /// options validation): an entry it refuses stops the service with the setting's name before this is called.
    /// </summary>
    public static IReadOnlyList<(string Host, int Port)> Parse(string? nodes) =>
        [.. Entries(nodes).Select(node => Node(node) ?? throw new FormatException($"{Setting}: {Problem(node)}"))];

    /// <summary>What is wrong with the entries of <paramref name="nodes"/>, one line per entry refused; empty when all are nodes.</summary>
    public static IReadOnlyList<string> Problems(string? nodes) => [.. Entries(nodes).Where(n => Node(n) is null).Select(Problem)];

    private static string[] Entries(string? nodes) => (nodes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Problem(string node) =>
        $"'{node}' is not a node: host:port, the host not empty (an IPv6 address in brackets), the port a number from 1 to 65535 (5672 when left out).";

    private static (string Host, int Port)? Node(string node)
    {
        var colon = node.LastIndexOf(':');
        var (host, port) = colon < 0 || node.EndsWith(']') ? (node, "5672") : (node[..colon], node[(colon + 1)..]);
        var hostIsValid = host.Length > 0 && !host.Any(char.IsWhiteSpace)
            && (!host.Contains(':') || (host.StartsWith('[') && host.EndsWith(']')));
        return hostIsValid && int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number is >= 1 and <= 65535
            ? (host, number)
            : null;
    }

    /// <summary>
    /// A connection to the first node that answers, with the URI's user, password and virtual host (or
    /// <paramref name="user"/> and <paramref name="password"/> instead).
    /// </summary>
    public static Task<IConnection> ConnectAsync(BusOptions bus, string clientName, CancellationToken ct, string? user = null, string? password = null)
    {
        var factory = new ConnectionFactory
        {
            Uri = bus.RabbitMqUri ?? throw new InvalidOperationException("PopInfo:Bus:RabbitMqUri is not set."),
            ClientProvidedName = clientName,
            // The callers reconnect themselves (and re-read what they had not confirmed).
            AutomaticRecoveryEnabled = false,
        };
        if (user is not null)
        {
            factory.UserName = user;
            factory.Password = password ?? "";
        }

        return factory.CreateConnectionAsync(Of(bus).ToList(), ct);
    }
}
