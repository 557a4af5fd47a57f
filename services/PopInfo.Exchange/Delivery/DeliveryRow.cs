namespace PopInfo.Exchange.Delivery;

/// <summary>One event projected for one department: what its queue, webhook and feed all carry.</summary>
public sealed class DeliveryRow
{
    public string DepartmentCode { get; init; } = "";
    public long Sequence { get; init; }
    public long RegistrySequence { get; init; }
    public Guid SubscriptionId { get; init; }
    public Guid PersonId { get; init; }
    public string EventType { get; init; } = "";
    public string Event { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Null when the department has no webhook; otherwise pending, delivered, dead or held.</summary>
    public string? WebhookState { get; init; }

    /// <summary>The W3C trace context the event was projected in (the CloudEvent's <c>traceparent</c>); null when the change carried none.</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }
}

public static class WebhookStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>The retry budget ran out (or the receiver refused it for good): on the dead-letter list.</summary>
    public const string Dead = "dead";

    /// <summary>Waiting behind a dead letter of the same person, so that the person's events stay in order.</summary>
    public const string Held = "held";
}
