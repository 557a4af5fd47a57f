using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// Turns a classic queue (declared without arguments, as earlier versions did) into a quorum queue of the same name without losing a message (docs/broker.md, "Migration").
/// A queue's type cannot change in place, so its messages go through a temporary quorum queue
/// <c>{queue}.migrating</c> fed by a temporary exchange of the same name:
/// <list type="number">
/// <item>the temporary queue is bound where the queue was (its source exchanges, if any), then the queue is
/// unbound: what is published meanwhile lands in the temporary queue (a queue fed through the default exchange has
/// none: a publish to it while it is away is returned to a mandatory publisher, which sends it again);</item>
/// <item>every waiting message is moved to it — published (confirmed by the broker) before it is acknowledged in the old
/// queue, so a crash leaves it in one queue or both, never in none;</item>
/// <item>the old queue is deleted only if empty, declared again as a quorum queue, bound back, and the temporary queue's
/// messages are moved into it the same way; then the temporaries are deleted.</item>
/// </list>
/// A migration that stopped half way finishes at the next start (the temporary queue still holds its messages). A message
/// published while the source is bound to both queues may arrive twice: at least once, as everywhere on the platform.
/// Needs configure on the queue, the temporary queue and exchange; read on the queue and the source; write on the
/// temporary exchange and queue — within its service's own prefix, a service's user has them.
/// </summary>
public static class QuorumQueueMigration
{
    public static string TemporaryName(string queue) => $"{queue}.migrating";

    /// <summary>Migrates <paramref name="queue"/> if it is a classic queue (or finishes a migration cut short); returns how many messages it holds then.</summary>
    public static async Task<int> MigrateAsync(IConnection connection, string queue, IDictionary<string, object?> arguments, IReadOnlyList<string> sources, CancellationToken ct)
    {
        var temporary = TemporaryName(queue);
        var state = await StateAsync(connection, queue, ct);
        var unfinished = await ExistsAsync(connection, temporary, ct);
        if (state != QueueState.Classic && !unfinished)
        {
            return 0;
        }

        await using (var first = await ConfirmingChannelAsync(connection, ct))
        {
            await first.ExchangeDeclareAsync(temporary, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
            await first.QueueDeclareAsync(temporary, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { [QuorumQueues.QueueType] = "quorum" }, cancellationToken: ct);
            await first.QueueBindAsync(temporary, temporary, "", cancellationToken: ct);
            if (state == QueueState.Classic)
            {
                foreach (var source in sources)
                {
                    await first.QueueBindAsync(temporary, source, "", cancellationToken: ct);
                    await first.QueueUnbindAsync(queue, source, "", cancellationToken: ct);
                }

                await MoveAsync(first, queue, temporary, ct);
                await first.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: true, cancellationToken: ct);
            }
        }

        // A new channel: RabbitMQ 3.10's channel keeps the deleted classic queue's state under its name, and a publish it
        // routes to the new quorum queue of that name fails with INTERNAL_ERROR (seen in QuorumMigrationTests).
        await using var channel = await ConfirmingChannelAsync(connection, ct);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: ct);
        foreach (var source in sources)
        {
            await channel.QueueBindAsync(queue, source, "", cancellationToken: ct);
            await channel.QueueUnbindAsync(temporary, source, "", cancellationToken: ct);
        }

        // The temporary exchange now feeds the quorum queue only.
        await channel.QueueUnbindAsync(temporary, temporary, "", cancellationToken: ct);
        await channel.QueueBindAsync(queue, temporary, "", cancellationToken: ct);
        var moved = await MoveAsync(channel, temporary, temporary, ct);
        // Nothing feeds the temporary queue any more; quorum queues refuse a delete "if empty", so its emptiness is read first.
        if ((await channel.QueueDeclarePassiveAsync(temporary, ct)).MessageCount != 0)
        {
            throw new InvalidOperationException($"{temporary} still holds messages; the migration of {queue} finishes at the next start.");
        }

        await channel.QueueDeleteAsync(temporary, ifUnused: false, ifEmpty: false, cancellationToken: ct);
        await channel.ExchangeDeleteAsync(temporary, ifUnused: false, cancellationToken: ct);
        return moved;
    }

    private static Task<IChannel> ConfirmingChannelAsync(IConnection connection, CancellationToken ct) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);

    private enum QueueState
    {
        Missing,
        Classic,
        Other,
    }

    /// <summary>
    /// Missing, a classic queue without arguments (what earlier versions declared), or anything else (a quorum queue): a
    /// declaration without arguments is accepted by the first only — RabbitMQ compares every argument, absent ones too,
    /// and names the first that differs. Each probe on its own channel (a refusal closes it).
    /// </summary>
    private static async Task<QueueState> StateAsync(IConnection connection, string queue, CancellationToken ct)
    {
        if (!await ExistsAsync(connection, queue, ct))
        {
            return QueueState.Missing;
        }

        try
        {
            await using var probe = await connection.CreateChannelAsync(cancellationToken: ct);
            await probe.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
            return QueueState.Classic;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            return QueueState.Other;
        }
    }

    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken ct)
    {
        try
        {
            await using var probe = await connection.CreateChannelAsync(cancellationToken: ct);
            await probe.QueueDeclarePassiveAsync(queue, ct);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    /// <summary>Takes every message from <paramref name="from"/> and publishes it, body and properties as they were, to the exchange <paramref name="to"/>; acknowledged once confirmed.</summary>
    private static async Task<int> MoveAsync(IChannel channel, string from, string to, CancellationToken ct)
    {
        var moved = 0;
        while (await channel.BasicGetAsync(from, autoAck: false, ct) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties);
            await channel.BasicPublishAsync(to, "", mandatory: true, properties, message.Body, ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            moved++;
        }

        return moved;
    }
}
