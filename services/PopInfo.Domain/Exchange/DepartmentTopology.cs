using System.Text.RegularExpressions;

namespace PopInfo.Domain.Exchange;

/// <summary>
/// The names of one department's queues, exchanges and user on the platform's RabbitMQ, and what that user may do
/// there (RabbitMQ permissions: three regular expressions over resource names, checked by the broker).
/// </summary>
public static class DepartmentTopology
{
    /// <summary>Where the platform parks AMQP messages that name no department (admin only).</summary>
    public const string PlatformParkingQueue = "popinfo.exchange.inbound.parked";

    /// <summary>The department's events, which it consumes.</summary>
    public static string Queue(string code) => $"popinfo.dept.{code}";

    /// <summary>The department's own fanout exchange, which it publishes its pushes to.</summary>
    public static string InboundExchange(string code) => $"popinfo.dept.{code}.inbound";

    /// <summary>Where its pushes that cannot be processed are parked, with the reason; it may read them.</summary>
    public static string ParkingQueue(string code) => $"popinfo.dept.{code}.inbound.parked";

    public static string BrokerUser(string code) => $"popinfo-dept-{code}";

    /// <summary>Declares, binds, deletes: nothing.</summary>
    public const string ConfigurePermission = "^$";

    /// <summary>Publishes: to its own inbound exchange only.</summary>
    public static string WritePermission(string code) => $"^{Regex.Escape(InboundExchange(code))}$";

    /// <summary>Consumes (and gets): its own queue and its own parking queue, exactly those two names.</summary>
    public static string ReadPermission(string code) => $"^({Regex.Escape(Queue(code))}|{Regex.Escape(ParkingQueue(code))})$";
}
