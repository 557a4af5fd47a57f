using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Brokers;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// The arguments of the queues the exchange declares for departments (docs/broker.md), the same in the management API's
/// provisioning and in every AMQP declaration (RabbitMQ refuses a declaration whose arguments differ). All quorum queues:
/// <list type="bullet">
/// <item>a department's queue <c>popinfo.dept.{code}</c>: the delivery limit, and at most
/// <see cref="ExchangeOptions.DepartmentQueueMaxLength"/> messages — beyond it the oldest are dropped (drop-head), so
/// one department that stops reading cannot fill the broker's disk nor stop the other departments' deliveries (a
/// refused publish would hold the whole round). What was dropped goes to the dead-letter queue and is in the
/// department's feed, its way back;</item>
/// <item>the inbound queue <c>popinfo.exchange.inbound</c>: the delivery limit;</item>
/// <item>a parking queue: no delivery limit, because the parked view reads its messages and puts them back, and each
/// return would count.</item>
/// </list>
/// Dead letters of all of them go to the exchange service's own <c>popinfo.exchange.dead-letter</c>.
/// </summary>
public sealed class DepartmentQueues(int deliveryLimit, long maxLength)
{
    public static readonly string DeadLetterExchange = QuorumQueues.DeadLetterExchangeOf(RabbitMqManagementAccounts.InboundQueue);

    public Dictionary<string, object?> Department() => QuorumQueues.Arguments(deliveryLimit, DeadLetterExchange, maxLength);

    public Dictionary<string, object?> Inbound() => QuorumQueues.Arguments(deliveryLimit, DeadLetterExchange);

    public static Dictionary<string, object?> Parking() => new() { [QuorumQueues.QueueType] = "quorum" };

    /// <summary>The queues of a department with their arguments (the inbound queue is shared: not among them).</summary>
    public IEnumerable<(string Queue, Dictionary<string, object?> Arguments)> Of(string code) =>
        [(DepartmentTopology.Queue(code), Department()), (DepartmentTopology.ParkingQueue(code), Parking())];
}
