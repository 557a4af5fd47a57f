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

    /// <summary>"host:port" entries, comma-separated; a missing port is 5672.</summary>
    public static IReadOnlyList<(string Host, int Port)> Parse(string? nodes) =>
        [.. (nodes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(node =>
        {
            var colon = node.LastIndexOf(':');
            return colon < 0 ? (node, 5672) : (node[..colon], int.Parse(node[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        })];

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
