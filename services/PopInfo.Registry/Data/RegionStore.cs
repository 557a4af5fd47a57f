using Dapper;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Data;

/// <summary>The regions table: how many rows it holds, and all of them replaced at once.</summary>
internal sealed class RegionStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    public async Task<int> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM regions", cancellationToken: ct));
    }

    /// <summary>Replaces every row with <paramref name="regions"/>, in one transaction.</summary>
    public async Task ReplaceAsync(IReadOnlyList<Region> regions, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM regions", transaction: transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO regions (code, level, name, parent_code) VALUES (@Code, @Level, @Name, @ParentCode)",
            regions.Select(r => new { r.Code, Level = (int)r.Level, r.Name, r.ParentCode }), transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }
}
