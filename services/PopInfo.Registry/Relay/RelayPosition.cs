using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Relay;

/// <summary>
/// The last change-log sequence the relay has published: in memory as it goes, in the
/// <c>relay_position</c> table from time to time. The saved value may lag behind; never ahead.
/// </summary>
internal sealed class RelayPosition
{
    public long Published { get; set; }

    public long Saved { get; private set; }

    public DateTimeOffset SavedAt { get; private set; }

    public static async Task<RelayPosition> LoadAsync(ServiceDatabase database, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var saved = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM relay_position WHERE name = @name", new { name = ChangeLogRelay.PositionName }, cancellationToken: ct));
        return new RelayPosition { Published = saved, Saved = saved, SavedAt = DateTimeOffset.MinValue };
    }

    /// <summary>Saves the published position if it moved; never moves the saved one backwards.</summary>
    public async Task SaveAsync(ServiceDatabase database, DateTimeOffset now, CancellationToken ct)
    {
        if (Published == Saved)
        {
            SavedAt = now;
            return;
        }

        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE relay_position SET last_sequence = @Published, updated_at = @now WHERE name = @name AND last_sequence < @Published",
            new { Published, now, name = ChangeLogRelay.PositionName }, cancellationToken: ct));
        Saved = Published;
        SavedAt = now;
    }
}
