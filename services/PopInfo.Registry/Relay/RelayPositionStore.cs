using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.Registry.Relay;

/// <summary>The relay's published position in the <c>relay_position</c> table (<see cref="RelayPosition"/> keeps it in memory).</summary>
public sealed class RelayPositionStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    /// <summary>The registry's database, where the relay's lease is kept beside its position.</summary>
    public ServiceDatabase Database => database;

    public async Task<long> LoadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM relay_position WHERE name = @name", new { name = ChangeLogRelay.PositionName }, cancellationToken: ct));
    }

    /// <summary>
    /// Saves <paramref name="published"/>, unless the saved position is already there or beyond: it never moves backwards.
    /// Fenced: in one transaction with the relay's lease (<see cref="LeaseStore.FenceSql"/>), one round trip and the commit;
    /// when another instance leads now, <see cref="LeaseLostException"/> and nothing saved.
    /// </summary>
    public async Task SaveAsync(long published, DateTimeOffset now, LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await LeaseStore.WriteFencedAsync(connection, SaveSql(database.Dialect),
            new DynamicParameters(new { Published = published, now = now.ToUniversalTime(), name = ChangeLogRelay.PositionName }), fence, ct);
    }

    /// <summary>The position's update, then the fence (parameters <c>@Published</c>, <c>@now</c>, <c>@name</c> and the fence's).</summary>
    internal static string SaveSql(SqlDialect dialect) =>
        "UPDATE relay_position SET last_sequence = @Published, updated_at = @now WHERE name = @name AND last_sequence < @Published;\n" + LeaseStore.FenceSql(dialect);
}
