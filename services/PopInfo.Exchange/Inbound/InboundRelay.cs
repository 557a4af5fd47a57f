using System.Text.Json;
using Dapper;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Sends queued inbound records to the registry (the exchange's outbox relay for them): each record's
/// <see cref="ApplyRegistryCommand"/> goes to the registry's queue, confirmed by the broker, and only then is
/// the record marked sent. While the broker is away the records wait in the database; a crash between
/// sending and marking sends again, and the registry applies a command id once however often it arrives.
/// </summary>
public sealed class InboundRelay(
    [FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database,
    IBus bus,
    RelaySignal<InboundRelay> signal,
    TimeProvider clock,
    ILogger<InboundRelay> logger) : OutboxRelay<InboundRelay>(signal, clock, logger)
{
    private const int BatchSize = 200;

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(2);

    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(15);

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        List<ApplyRegistryCommand> batch;
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            var commands = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT command FROM inbound_records WHERE state = 'queued' ORDER BY received_at, id LIMIT @BatchSize", new { BatchSize }, cancellationToken: ct));
            batch = [.. commands.Select(c => JsonSerializer.Deserialize<ApplyRegistryCommand>(c, Json.Options)!)];
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        var now = Clock.GetUtcNow();
        // IBus is the process's send endpoint provider (the scoped ISendEndpointProvider is not for a background service).
        ISendEndpointProvider provider = bus;
        var endpoint = await provider.GetSendEndpoint(BusRegistration.RegistryCommands);
        // Different records are independent commands: send them side by side, each confirmed by the broker.
        await Task.WhenAll(batch.Select(command => endpoint.Send(command with { SentAt = now }, context =>
        {
            context.MessageId = command.CommandId;
            context.CorrelationId = command.CorrelationId;
            context.Durable = true;
        }, ct)));

        var ids = batch.Select(c => c.CommandId).ToArray();
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            // An answer may have come first (the registry is quick): it is not overwritten.
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE inbound_records SET state = 'sent', sent_at = @now WHERE {database.Dialect.In("id", "ids")} AND state = 'queued'",
                new { now, ids }, cancellationToken: ct));
        }

        logger.LogDebug("Sent {Count} inbound records to the registry", batch.Count);
        return batch.Count;
    }
}
