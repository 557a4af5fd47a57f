using System.Data.Common;
using System.Text.Json;
using PopInfo.Exchange.Brokers;
using PopInfo.Exchange.Delivery;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Takes what departments publish to their inbound exchanges <c>popinfo.dept.{code}.inbound</c>, all bound to
/// the durable queue <c>popinfo.exchange.inbound</c>. The department is the exchange the message was
/// published to: the broker lets a department's user write to its own exchange only. Each message runs
/// through <see cref="InboundService"/> exactly as an HTTP push does and is acknowledged after its
/// transaction committed. A message that is no push at all (not JSON, not records, from a department that
/// may not push) is acknowledged and logged by department and rule — never its content — so that it does
/// not come back forever; while the registry or the database does not answer, the message goes back to
/// the queue after a pause. Raw RabbitMQ.Client: bureaus publish plain JSON, not MassTransit envelopes.
/// </summary>
public sealed partial class AmqpInboundConsumer(BrokerConnection broker, InboundService inbound, ILogger<AmqpInboundConsumer> logger) : BackgroundService
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
                // The same declaration as the management API's when a department is provisioned.
                await channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: stoppingToken);
                await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                channel.ChannelShutdownAsync += (_, _) =>
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                };
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery, stoppingToken);
                await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, stoppingToken);
                failures = 0;
                await closed.Task.WaitAsync(stoppingToken);
                logger.LogWarning("The inbound queue's channel closed; consuming again");
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

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        var code = DepartmentOf(delivery.Exchange);
        if (code is null)
        {
            logger.LogWarning("An inbound message did not come through a department's inbound exchange ({Exchange}); dropped", delivery.Exchange);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(delivery.Body);
            var outcome = await inbound.PushAsync(code, document.RootElement, InboundChannels.Amqp, ct);
            if (outcome.Problem is { Status: StatusCodes.Status503ServiceUnavailable })
            {
                await RequeueAsync(channel, delivery, code, "registry.unavailable", ct);
                return;
            }

            if (outcome.Problem is { } problem)
            {
                logger.LogWarning("Department {Department}: inbound message refused ({Rule}); dropped", code, InboundService.Rule(problem) ?? "unknown");
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
        }
        catch (JsonException)
        {
            logger.LogWarning("Department {Department}: inbound message refused ({Rule}); dropped", code, "json.format");
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
        }
        catch (Exception ex) when ((ex is DbException or TimeoutException or HttpRequestException) && !ct.IsCancellationRequested)
        {
            // The database (or something it needs) is away: the message waits in the queue, not lost.
            await RequeueAsync(channel, delivery, code, ex.GetType().Name, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else would fail again on every delivery: drop it rather than loop forever.
            logger.LogError("Department {Department}: inbound message could not be processed ({Error}); dropped", code, ex.GetType().Name);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
        }
    }

    private async Task RequeueAsync(IChannel channel, BasicDeliverEventArgs delivery, string code, string reason, CancellationToken ct)
    {
        logger.LogWarning("Department {Department}: inbound message not taken ({Reason}); back to the queue in {Pause}", code, reason, RetryPause);
        await Task.Delay(RetryPause, ct);
        await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, ct);
    }
}
