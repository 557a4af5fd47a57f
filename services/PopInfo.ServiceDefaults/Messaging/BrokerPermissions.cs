using System.Text.RegularExpressions;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// A RabbitMQ user's permissions in a virtual host: three regular expressions the broker matches against the names of
/// exchanges and queues alike. Configure: declare and delete. Write: publish to an exchange, bind a queue or exchange as
/// the destination. Read: consume and get from a queue, purge it, bind from an exchange as the source.
/// </summary>
public sealed record BrokerPermission(string Configure, string Write, string Read);

/// <summary>
/// Each platform service's own RabbitMQ user <c>popinfo-{service}</c> and what it may do: exactly what its MassTransit
/// topology and its raw RabbitMQ.Client code declare, publish and consume, and nothing of another service's queues.
/// The one place these rules live: deploy/local/up.sh (through <c>popinfo-broker-users</c>), the test fixtures and
/// docs/security.md ("Broker users", held to this by a unit test) all read them from here.
/// </summary>
public static class BrokerPermissions
{
    /// <summary>The services that connect to the bus, in up.sh's order.</summary>
    public static readonly IReadOnlyList<string> Services = ["identity", "registry", "collection", "exchange", "sharing", "analytics", "monitoring"];

    /// <summary>
    /// MassTransit's exchange of <c>PopInfo.Contracts.Identity.ClientStatusChanged</c> (its type name: the identity
    /// provider publishes it without an entity name of its own).
    /// </summary>
    public const string ClientStatusChangedExchange = "PopInfo.Contracts.Identity:ClientStatusChanged";

    /// <summary>RabbitMQ's name, for permissions, of the default exchange (publishing straight to a queue by its name).</summary>
    public const string DefaultExchange = "amq.default";

    /// <summary>The broker user of a service.</summary>
    public static string UserOf(string service) => $"popinfo-{Known(service)}";

    /// <summary>
    /// The names a service owns: <c>popinfo.{service}.</c> and anything after it — its receive endpoints' queues and the
    /// exchanges of the same names MassTransit binds to them, their <c>_error</c> and <c>_skipped</c> queues and
    /// exchanges, and the exchanges it publishes under its own prefix.
    /// </summary>
    public static string OwnPrefix(string service) => $"popinfo.{Known(service)}.";

    public static BrokerPermission Of(string service)
    {
        var own = Regex.Escape(OwnPrefix(service)) + ".*";
        List<string> configure = [own], write = [own], read = [own];
        switch (service)
        {
            case "registry":
                // Publishes every change; the command exchange and every sender's answer exchange are under its own prefix.
                Publishes(PersonChanged.ExchangeName);
                break;
            case "collection":
                SendsCommands();
                Consumes(RegistryCommandRoutes.AnswerExchange(service));
                break;
            case "exchange":
                SendsCommands();
                Consumes(RegistryCommandRoutes.AnswerExchange(service));
                Consumes(PersonChanged.ExchangeName);
                Consumes(ClientStatusChangedExchange);
                // Declares each department's queue popinfo.dept.{code} (never its inbound exchange popinfo.dept.{code}.inbound,
                // which the provisioning credential makes) and publishes to it through the default exchange.
                configure.Add(@"popinfo\.dept\.[a-z][a-z0-9-]*");
                // And its parking queue popinfo.dept.{code}.inbound.parked, where pushes it cannot process are moved; it
                // reads them back (get, then requeue) for the parked view.
                configure.Add(@"popinfo\.dept\.[a-z][a-z0-9-]*\.inbound\.parked");
                read.Add(@"popinfo\.dept\.[a-z][a-z0-9-]*\.inbound\.parked");
                write.Add(Regex.Escape(DefaultExchange));
                break;
            case "identity":
                Publishes(ClientStatusChangedExchange);
                break;
            case "analytics":
            case "sharing":
                // Their read models follow every change.
                Consumes(PersonChanged.ExchangeName);
                break;
        }

        return new BrokerPermission(Pattern(configure), Pattern(write), Pattern(read));

        // Publishing declares the message type's exchange, then writes to it.
        void Publishes(string exchange)
        {
            configure.Add(Regex.Escape(exchange));
            write.Add(Regex.Escape(exchange));
        }

        // Sending a registry command declares the command exchange and writes to it; nothing on the registry's queue.
        void SendsCommands() => Publishes(RegistryCommandRoutes.CommandExchange);

        // A receive endpoint declares the message type's exchange and binds it to its own exchange: read on the source.
        void Consumes(string exchange)
        {
            configure.Add(Regex.Escape(exchange));
            read.Add(Regex.Escape(exchange));
        }
    }

    /// <summary>Whether RabbitMQ would match <paramref name="name"/> (an exchange or a queue) with <paramref name="pattern"/>.</summary>
    public static bool Allows(string pattern, string name) => Regex.IsMatch(name, pattern, RegexOptions.CultureInvariant);

    private static string Pattern(List<string> alternatives) => $"^({string.Join('|', alternatives)})$";

    private static string Known(string service) =>
        Services.Contains(service) ? service : throw new ArgumentException($"'{service}' is no platform service that connects to the bus.", nameof(service));
}
