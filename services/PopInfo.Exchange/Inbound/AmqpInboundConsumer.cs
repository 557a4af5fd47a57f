using System.Data.Common;
using System.Text.Json;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Brokers;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Outcomes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Takes what departments publish to their inbound exchanges <c>popinfo.dept.{code}.inbound</c>, all bound to
/// the durable queue <c>popinfo.exchange.inbound</c>. The department is the exchange the message was
/// published to: the broker lets a department's user write to its own exchange only. Each message runs
/// through <see cref="InboundService"/> exactly as an HTTP push does and is acknowledged after its
/// transaction committed. A message that cannot be processed (too large, not JSON, not records, from a
/// department that may not push, holding a record that cannot even be stored as refused, or failing in a way
/// that would fail again) is parked: moved to the department's parking queue with the rule in its headers
/// (<see cref="ParkedMessages"/>), then acknowledged, so that it neither comes back forever nor disappears; it is
/// logged by department and rule, never its content. While the registry or the database does not answer, the
/// message goes back to the queue after a pause. Raw RabbitMQ.Client: bureaus publish plain JSON, not MassTransit envelopes.
/// </summary>
public sealed partial class AmqpInboundConsumer(
    BrokerConnection broker, DepartmentQueues queues, InboundService inbound, ParkedMessages parked, DepartmentStore departments, ILogger<AmqpInboundConsumer> logger) : BackgroundService
{
    public const string QueueName = RabbitMqManagementAccounts.InboundQueue;

    private const ushort Prefetch = 8;
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(5);

    [System.Text.RegularExpressions.GeneratedRegex("^popinfo\\.dept\\.([a-z][a-z0-9-]{1,30})\\.inbound$")]
    private static partial System.Text.RegularExpressions.Regex InboundExchange();

    /// <summary>The department whose inbound exchange this is, or null.</summary>
    public static string? DepartmentOf(string exchange) => InboundExchange().Match(exchange) is { Success: true } m ? m.Groups[1].Value : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await broker.GetAsync(stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                await using var parking = await broker.CreatePublishChannelAsync(stoppingToken);
                // The same declaration as the management API's when a department is provisioned.
                await channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, arguments: queues.Inbound(), cancellationToken: stoppingToken);
                await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // Either channel closing ends this round: a new one opens both again (unacknowledged messages come back).
                Task Closed(object sender, ShutdownEventArgs args)
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                }

                channel.ChannelShutdownAsync += Closed;
                parking.ChannelShutdownAsync += Closed;
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, parking, delivery, stoppingToken);
                await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, stoppingToken);
                failures = 0;
                await closed.Task.WaitAsync(stoppingToken);
                logger.LogWarning("The inbound queue's (or the parking) channel closed; consuming again");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                broker.Reset();
                logger.LogWarning("Consuming the inbound queue failed {Failures} time(s) ({Error}); retrying", failures, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(15_000, 500 * Math.Pow(2, Math.Min(failures, 5)))), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task HandleAsync(IChannel channel, IChannel parking, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        var code = DepartmentOf(delivery.Exchange);
        ParkReason? reason;
        try
        {
            reason = await ProcessAsync(code, delivery, ct);
        }
        catch (Exception ex) when ((ex is DbException or TimeoutException or HttpRequestException) && !ct.IsCancellationRequested)
        {
            // The database (or something it needs) is away: the message waits in the queue, not lost.
            await RequeueAsync(channel, delivery, code, ex.GetType().Name, ct);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else would fail again on every delivery: parked rather than looping forever.
            reason = new ParkReason(InboundParking.UnprocessableRule, null, $"The message could not be processed ({ex.GetType().Name}); the platform's operators have the error.");
            logger.LogError("Department {Department}: inbound message could not be processed ({Error})", code, ex.GetType().Name);
        }

        if (reason is null)
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            return;
        }

        string queue;
        try
        {
            var exists = code is not null && await departments.GetAsync(code, ct) is not null;
            if (code is not null && !exists)
            {
                reason = new ParkReason(InboundParking.DepartmentUnknownRule, null, $"There is no department '{code}' (the message came through '{delivery.Exchange}').");
            }

            queue = InboundParking.QueueFor(code, exists);
            await parked.ParkAsync(parking, delivery, queue, reason, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not parked (broker or database away): not acknowledged either, so it comes back.
            await RequeueAsync(channel, delivery, code, $"parking failed: {ex.GetType().Name}", ct);
            return;
        }

        logger.LogWarning("Department {Department}: inbound message parked in {Queue} ({Rule})", code ?? delivery.Exchange, queue, reason.Rule);
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
    }

    /// <summary>Takes the message as a push; why it must be parked, or null when it was taken (its records stored).</summary>
    private async Task<ParkReason?> ProcessAsync(string? code, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        if (code is null)
        {
            return new ParkReason(InboundParking.DepartmentUnknownRule, null, $"The message did not come through a department's inbound exchange (it came through '{delivery.Exchange}').");
        }

        if (InboundParking.TooLarge(delivery.Body.Length))
        {
            return new ParkReason(InboundParking.MessageSizeRule, null,
                $"The message has {delivery.Body.Length} bytes; at most {InboundParking.MaxMessageBytes} are read. Split the push (at most {InboundService.MaxRecords} records each).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(delivery.Body);
        }
        catch (JsonException)
        {
            return new ParkReason("json.format", null, "The message is not JSON (UTF-8): a push is {\"records\": [...]} or one record object.");
        }

        using (document)
        {
            var pushed = await inbound.PushAsync(code, document.RootElement, InboundChannels.Amqp, ct);
            if (pushed.Refusal is { Kind: RefusalKind.Busy })
            {
                throw new TimeoutException("The registry does not answer.");
            }

            if (pushed.Refusal is { } refusal)
            {
                return ParkReason.From(refusal);
            }

            // Stored as refused, a record can be read back by its record id; one without a usable id cannot be, so
            // the message is parked for it (the records that could be taken are taken; pushing it again after the fix
            // answers them as duplicates).
            return pushed.Value!.Results.FirstOrDefault(r => r is { State: InboundStates.Refused, RecordId: null, Refusal: not null }) is { } lost
                ? ParkReason.From(lost.Refusal!)
                : null;
        }
    }

    private async Task RequeueAsync(IChannel channel, BasicDeliverEventArgs delivery, string? code, string reason, CancellationToken ct)
    {
        logger.LogWarning("Department {Department}: inbound message not taken ({Reason}); back to the queue in {Pause}", code, reason, RetryPause);
        await Task.Delay(RetryPause, ct);
        await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, ct);
    }
}
