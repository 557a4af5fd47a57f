using Dapper;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Data;

/// <summary>Keeps the regions table equal to the catalogue (Wuxi's divisions plus the generated communities).</summary>
internal sealed class RegionSeeder([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database, RegionCatalogue regions) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM regions", cancellationToken: cancellationToken));
        if (count == regions.All.Count)
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM regions", transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO regions (code, level, name, parent_code) VALUES (@Code, @Level, @Name, @ParentCode)",
            regions.All.Select(r => new { r.Code, Level = (int)r.Level, r.Name, r.ParentCode }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
