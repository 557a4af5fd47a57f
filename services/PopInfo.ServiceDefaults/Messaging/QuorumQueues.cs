using MassTransit;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// The arguments of every durable queue the platform declares on RabbitMQ (docs/broker.md): a quorum queue (replicated
/// on every node of a cluster, one node works too), a delivery limit, and a dead-letter target — so that a message whose
/// consumer keeps dying is put aside, not handed out forever, and not dropped. Arguments on the queue, not a policy: the
/// declaration is the whole truth wherever the platform runs (up.sh, Kubernetes, the tests) and no operator step can be
/// forgotten; a queue's type cannot be set by a policy anyway. The dead-letter target is the owning service's own
/// <c>popinfo.{service}.dead-letter</c> exchange and queue: RabbitMQ lets a user declare a queue with a dead-letter
/// exchange only if it may write to that exchange, and each service may write under its own prefix only.
/// </summary>
public static class QuorumQueues
{
    public const string QueueType = "x-queue-type";
    public const string DeliveryLimitArgument = "x-delivery-limit";
    public const string DeadLetterExchangeArgument = "x-dead-letter-exchange";
    public const string MaxLengthArgument = "x-max-length";
    public const string OverflowArgument = "x-overflow";

    /// <summary>RabbitMQ 4.0's default for quorum queues (3.10 has none: unlimited).</summary>
    public const int DefaultDeliveryLimit = 20;

    /// <summary>A dead-letter queue keeps at most this many messages; older ones are dropped first.</summary>
    public const long DeadLetterMaxLength = 100_000;

    /// <summary><c>popinfo.{service}.dead-letter</c> for a queue named <c>popinfo.{service}.…</c>.</summary>
    public static string DeadLetterExchangeOf(string queue)
    {
        var parts = queue.Split('.');
        if (parts.Length < 3 || parts[0] != "popinfo")
        {
            throw new ArgumentException($"'{queue}' is no platform queue (popinfo.<service>.…).", nameof(queue));
        }

        return $"popinfo.{parts[1]}.dead-letter";
    }

    /// <summary>A durable quorum queue's arguments: delivery limit, dead-letter exchange, and optionally a length limit whose overflow drops the oldest (dead-lettered too).</summary>
    public static Dictionary<string, object?> Arguments(int deliveryLimit, string deadLetterExchange, long? maxLength = null)
    {
        var arguments = new Dictionary<string, object?>
        {
            [QueueType] = "quorum",
            [DeliveryLimitArgument] = deliveryLimit,
            [DeadLetterExchangeArgument] = deadLetterExchange,
        };
        if (maxLength is { } max)
        {
            arguments[MaxLengthArgument] = max;
            arguments[OverflowArgument] = "drop-head";
        }

        return arguments;
    }

    /// <summary>The dead-letter queue's own arguments: quorum, bounded (oldest dropped), no delivery limit and no dead-letter target of its own.</summary>
    public static Dictionary<string, object?> DeadLetterQueueArguments() => new()
    {
        [QueueType] = "quorum",
        [MaxLengthArgument] = DeadLetterMaxLength,
        [OverflowArgument] = "drop-head",
    };

    /// <summary>
    /// Makes a MassTransit receive endpoint's queue a quorum queue with the delivery limit and its service's dead-letter
    /// exchange and queue (declared by MassTransit with the endpoint). Its <c>_error</c> and <c>_skipped</c> queues copy
    /// the arguments. The in-memory transport has no queues of this kind: nothing to do there.
    /// </summary>
    public static void Apply(IRabbitMqReceiveEndpointConfigurator endpoint, string queue, int deliveryLimit)
    {
        endpoint.SetQuorumQueue();
        endpoint.SetQueueArgument(DeliveryLimitArgument, deliveryLimit);
        endpoint.BindDeadLetterQueue(DeadLetterExchangeOf(queue), DeadLetterExchangeOf(queue), dead =>
        {
            foreach (var (key, value) in DeadLetterQueueArguments())
            {
                dead.SetQueueArgument(key, value);
            }
        });
    }
}
