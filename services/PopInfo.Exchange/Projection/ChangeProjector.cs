using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// Turns the register's change log, in sequence order, into each entitled department's events: one per
/// matching subscription, numbered by the department's own gap-free sequence, written in one transaction
/// with the new position. Changes come from the bus (<see cref="ChangeBuffer"/>) when they arrive in order
/// and from the registry's feed otherwise (a gap, a restart, a lost message), so none is lost or projected twice.
/// At start it asks the feed only once its own process listens (in the embedded host the registry is this process), and
/// until the feed first answers it waits politely: one line in the log, no stack trace, and no failure counted.
/// Single-active: only the holder of its lease projects, each transaction fenced (<see cref="OutboxRelay{TRelay}"/>).
/// </summary>
public sealed partial class ChangeProjector(
    ChangeBuffer buffer,
    RegistryFeed feed,
    SubscriptionMatcher matcher,
    ProjectionStore store,
    [FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database,
    IOptions<ExchangeOptions> options,
    RelaySignal<ChangeProjector> signal,
    RelaySignal<AmqpDeliveryRelay> amqpSignal,
    RelaySignal<WebhookDeliveryRelay> webhookSignal,
    LeaseFactory leases,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ChangeProjector> logger) : OutboxRelay<ChangeProjector>(signal, leases.For(database, LeaseName), clock, logger)
{
    public const string PositionName = "change-log";

    /// <summary>
    /// The lease of the exchange's delivery loops — this projector and the AMQP and webhook senders, which share it so that
    /// they lead on one instance and the projector's signal wakes the senders in-process (docs/architecture.md, "Several instances").
    /// </summary>
    public const string LeaseName = "exchange-delivery";

    private readonly ILogger log = logger;
    private long? position;
    private bool feedAnswered;
    private bool waitLogged;

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(2);

    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(15);

    protected override void Reset() => position = null;

    // Another exchange instance projects: the changes this one's consumer hears are the leader's to read from the feed.
    protected override void Following() => buffer.Clear();

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        position ??= await store.PositionAsync(PositionName, ct);
        var batch = options.Value.ProjectionBatch;
        IReadOnlyList<PersonChanged> changes = buffer.TakeRun(position.Value + 1, batch);
        if (changes.Count == 0)
        {
            // Nothing in order on the bus: a gap, a restart or just quiet. The feed is authoritative.
            changes = feedAnswered ? await feed.ReadAsync(position.Value, batch, ct) : await FirstReadAsync(position.Value, batch, ct);
        }

        if (changes.Count == 0)
        {
            return 0;
        }

        var projected = await ProjectAsync(changes, ct);
        position = changes[^1].Sequence;
        buffer.DropThrough(position.Value);
        if (projected > 0)
        {
            amqpSignal.Notify();
            webhookSignal.Notify();
        }

        return changes.Count;
    }

    // The first read of the feed: after this process listens, and while the registry does not answer yet, one line and
    // nothing read (the relay asks again after its idle poll). Once it has answered, a failure is a failure.
    private async Task<IReadOnlyList<PersonChanged>> FirstReadAsync(long after, int batch, CancellationToken ct)
    {
        await lifetime.WhenStartedAsync(ct);

        try
        {
            var changes = await feed.ReadAsync(after, batch, ct);
            feedAnswered = true;
            return changes;
        }
        catch (HttpRequestException e)
        {
            if (!waitLogged)
            {
                waitLogged = true;
                LogWaitingForFeed(log, e.Message);
            }

            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the registry's change feed to answer ({Reason}); asking again every few seconds.")]
    private static partial void LogWaitingForFeed(ILogger logger, string reason);

    private async Task<int> ProjectAsync(IReadOnlyList<PersonChanged> changes, CancellationToken ct)
    {
        // The lease's fence, checked by the last statement of this transaction (ProjectionStore.MoveAsync), keeps this to one
        // projector at a time, should two exchange processes run: a fenced-out one's events and cursors are rolled back.
        var fence = Lease.Fence();
        await using var work = await database.BeginAsync(ct);
        var stored = await ProjectionStore.PositionAsync(work, PositionName, ct);
        var pending = changes.Where(c => c.Sequence > stored).ToList();
        if (pending.Count == 0 || pending[0].Sequence != stored + 1)
        {
            // Another process moved on, or the run does not start where we are: start again from what is stored.
            throw new InvalidOperationException($"Projection position is {stored}; the batch starts at {changes[0].Sequence}.");
        }

        var subscriptions = await DepartmentStore.ActiveSubscriptionsAsync(work, ct);
        var departments = await ProjectionStore.DepartmentCursorsAsync(work, ct);

        var now = Clock.GetUtcNow();
        var rows = new List<DeliveryRow>();
        // The batch's span links to every change's origin; a change that makes events gets a span of its own, a child of
        // the registry's change, whose context its events keep and carry (docs/tracing.md).
        using var span = OutboxTracing.StartBatch("popinfo.exchange.changes project", pending.Select(c => (c.TraceParent, c.TraceState)), pending.Count);
        foreach (var change in pending)
        {
            JsonElement? person = null;
            Activity? changeSpan = null;
            (string? Parent, string? State) trace = (change.TraceParent, change.TraceState);
            try
            {
                foreach (var subscription in subscriptions)
                {
                    if (!matcher.Matches(subscription, change) || !departments.TryGetValue(subscription.DepartmentCode, out var department))
                    {
                        continue;
                    }

                    if (person is null)
                    {
                        person = JsonSerializer.SerializeToElement(change.Person, Json.Options);
                        changeSpan = StartChangeSpan(change, span);
                        trace = changeSpan is null ? trace : (changeSpan.Id, changeSpan.TraceStateString);
                    }

                    var sequence = ++department.LastSequence;
                    department.Touched = true;
                    rows.Add(new DeliveryRow
                    {
                        DepartmentCode = department.Code,
                        Sequence = sequence,
                        RegistrySequence = change.Sequence,
                        SubscriptionId = subscription.Id,
                        PersonId = change.PersonId,
                        EventType = CloudEvents.Type(change.ChangeType),
                        Event = CloudEvents.Write(department.Code, sequence, subscription, change, person.Value, trace.Parent, trace.State),
                        CreatedAt = now,
                        WebhookState = department.WebhookUrl is null ? null : WebhookStates.Pending,
                        TraceParent = trace.Parent,
                        TraceState = trace.State,
                    });
                }
            }
            finally
            {
                changeSpan?.Dispose();
            }
        }

        await DeliveryStore.InsertAsync(work, rows, ct);
        await ProjectionStore.MoveAsync(work, [.. departments.Values.Where(d => d.Touched)], PositionName, pending[^1].Sequence, fence, ct);
        await work.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>The span of one change's projection: a child of the change's own trace context when it has one (none: no span, no context).</summary>
    private static Activity? StartChangeSpan(PersonChanged change, Activity? batch)
    {
        if (!OutboxTracing.TryParse(change.TraceParent, change.TraceState, out _))
        {
            return null;
        }

        var span = OutboxTracing.StartRow("popinfo.exchange.change project", ActivityKind.Internal, change.TraceParent, change.TraceState, batch);
        span?.SetTag("popinfo.registry.sequence", change.Sequence);
        return span;
    }
}
