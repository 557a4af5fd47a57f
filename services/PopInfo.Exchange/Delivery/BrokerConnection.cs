using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace PopInfo.Exchange.Delivery;

/// <summary>The exchange's own connection to the platform's RabbitMQ (the bus's URI and nodes), for the departments' queues.</summary>
public sealed class BrokerConnection(IOptions<PlatformOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;

    public async Task<IConnection> GetAsync(CancellationToken ct)
    {
        if (connection is { IsOpen: true })
        {
            return connection;
        }

        await gate.WaitAsync(ct);
        try
        {
            if (connection is { IsOpen: true })
            {
                return connection;
            }

            connection?.Dispose();
            // Every node of a cluster, tried in turn; the relays reconnect themselves (and re-read what they had not confirmed).
            connection = await BrokerNodes.ConnectAsync(options.Value.Bus, "popinfo-exchange-departments", ct);
            return connection;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A channel whose publishes complete only when the broker confirms them (or throw when it returns or refuses them).</summary>
    public async Task<IChannel> CreatePublishChannelAsync(CancellationToken ct)
    {
        var open = await GetAsync(ct);
        return await open.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(2048)), ct);
    }

    /// <summary>Drops the connection after a failure, so the next use opens a new one.</summary>
    public void Reset()
    {
        if (connection is { IsOpen: false })
        {
            connection.Dispose();
            connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        gate.Dispose();
    }
}
