using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

/// <summary>
/// Sends the outbox's registry commands (<see cref="RegistryOutboxStore"/>) to the registry's command exchange, each
/// confirmed by the broker, and only then marks them sent. While the broker is away the commands wait in the
/// database; a crash between sending and marking sends again, and the registry applies a command id once however
/// often it arrives. Every command names the sender's answer exchange as its response address. Commands sent and
/// left unanswered (an answer lost, a command parked in the registry's error queue and dropped) are sent again after
/// <see cref="RegistryOutboxOptions.ResendAfter"/>, doubling per send — the one reconciliation, for every sender.
/// Single-active: only the holder of its lease sends, each marking fenced (<see cref="OutboxRelay{TRelay}"/>).
/// </summary>
public sealed class RegistryCommandRelay<TSender>(
    RegistryOutbox<TSender> outbox,
    TSender sender,
    IBus bus,
    RelaySignal<RegistryCommandRelay<TSender>> signal,
    RegistryOutboxOptions options,
    LeaseFactory leases,
    TimeProvider clock,
    ILogger<RegistryCommandRelay<TSender>> logger)
    : OutboxRelay<RegistryCommandRelay<TSender>>(signal, leases.For(outbox.Store.Database, "registry-command-relay." + typeof(TSender).Name), clock, logger)
    where TSender : RegistryAnswerStore
{
    private const int BatchSize = 200;
    private DateTimeOffset nextReconciliation = DateTimeOffset.MinValue;

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(1);

    // Someone waits (a collector at the desk, a bureau), and a look at the local database and broker is cheap.
    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(5);

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        await ReconcileAsync(ct);
        var batch = await outbox.Store.UnsentAsync(BatchSize, ct);
        if (batch.Count == 0)
        {
            return 0;
        }

        // The batch's span links to every command's request; each send is a child of its own request (docs/tracing.md).
        using var span = OutboxTracing.StartBatch($"popinfo.{sender.Service}.registry-commands send", batch.Select(b => (b.TraceParent, b.TraceState)), batch.Count);
        var endpoint = await bus.GetSendEndpoint(BusRegistration.RegistryCommands);
        var answers = new Uri($"exchange:{RegistryCommandRoutes.AnswerExchange(sender.Service)}");
        // Different commands are independent: send them side by side, each confirmed by the broker.
        await Task.WhenAll(batch.Select(b => SendAsync(endpoint, b, answers, $"popinfo.{sender.Service}.registry-command send", span, ct)));

        var now = Clock.GetUtcNow();
        await outbox.Store.MarkSentAsync([.. batch.Select(b => b.Seq)], now, Lease.Fence(), ct);
        try
        {
            await sender.ShowSentAsync([.. batch.Select(b => b.CommandId)], now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogInformation("Could not show {Count} commands as sent ({Error}); their answers will", batch.Count, ex.GetType().Name);
        }

        logger.LogDebug("Sent {Count} commands to the registry", batch.Count);
        return batch.Count;
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        if (now < nextReconciliation)
        {
            return;
        }

        nextReconciliation = now + options.ReconcileEvery;
        var reopened = await outbox.Store.ReopenUnansweredAsync(now, options, ct);
        if (reopened > 0)
        {
            logger.LogWarning("{Count} registry commands had no answer in time; sending them again", reopened);
        }
    }

    /// <summary>Sends one command inside a span that continues the trace of the request that wrote it; MassTransit carries it on in the headers.</summary>
    private static async Task SendAsync(ISendEndpoint endpoint, OutboxCommand command, Uri answers, string spanName, Activity? batch, CancellationToken ct)
    {
        using var span = OutboxTracing.StartRow(spanName, ActivityKind.Internal, command.TraceParent, command.TraceState, batch);
        span?.SetTag("popinfo.command.id", command.CommandId.ToString());
        await endpoint.Send(command.Message, command.Message.GetType(), Pipe.Execute<SendContext>(context =>
        {
            context.MessageId = command.CommandId;
            context.CorrelationId = CorrelationOf(command.Message);
            context.ResponseAddress = answers;
            context.Durable = true;
        }), ct);
    }

    private static Guid? CorrelationOf(object message) => message switch
    {
        RegistryCommand typed => typed.CorrelationId,
        Contracts.Registry.ApplyRegistryCommand legacy => legacy.CorrelationId,
        _ => null,
    };
}
