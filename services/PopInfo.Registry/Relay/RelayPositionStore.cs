using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Relay;

/// <summary>The relay's published position in the <c>relay_position</c> table (<see cref="RelayPosition"/> keeps it in memory).</summary>
public sealed class RelayPositionStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    public async Task<long> LoadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM relay_position WHERE name = @name", new { name = ChangeLogRelay.PositionName }, cancellationToken: ct));
    }

    /// <summary>Saves <paramref name="published"/>, unless the saved position is already there or beyond: it never moves backwards.</summary>
    public async Task SaveAsync(long published, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE relay_position SET last_sequence = @Published, updated_at = @now WHERE name = @name AND last_sequence < @Published",
            new { Published = published, now, name = ChangeLogRelay.PositionName }, cancellationToken: ct));
    }
}
