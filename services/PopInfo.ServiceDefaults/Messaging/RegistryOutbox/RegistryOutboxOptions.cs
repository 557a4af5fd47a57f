namespace PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

/// <summary>When the outbox sends an unanswered command again (the same for every sender).</summary>
public sealed record RegistryOutboxOptions
{
    /// <summary>How long a sent command may wait for its answer before it is sent again; doubles with each send.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest wait between two sends of an unanswered command.</summary>
    public TimeSpan LongestResendWait { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The most unanswered commands one look sends again (those sent longest ago first): a lost answer is rare, a
    /// registry that was away for long leaves thousands overdue that are still in its queue.
    /// </summary>
    public int ResendAtMost { get; init; } = 500;

    /// <summary>How often the relay looks for unanswered commands.</summary>
    public TimeSpan ReconcileEvery { get; init; } = TimeSpan.FromSeconds(30);
}
