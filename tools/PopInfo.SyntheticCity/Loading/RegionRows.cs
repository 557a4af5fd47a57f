using System.Data.Common;
using PopInfo.Domain.Regions;

namespace PopInfo.SyntheticCity.Loading;

/// <summary>
/// Fills the registry's regions table from the catalogue when it is not already complete, as the
/// registry's own seeder does at start-up, so that a freshly loaded database is usable before the
/// registry has ever run. 1,160 rows: plain INSERTs are fast enough.
/// </summary>
internal static class RegionRows
{
    public static async Task EnsureAsync(DbConnection connection, DbTransaction? transaction, RegionCatalogue regions, CancellationToken ct)
    {
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT COUNT(*) FROM regions";
            if (Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == regions.All.Count)
            {
                return;
            }
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM regions";
        await command.ExecuteNonQueryAsync(ct);
        command.CommandText = "INSERT INTO regions (code, level, name, parent_code) VALUES (@code, @level, @name, @parent)";
        var code = Add(command, "code");
        var level = Add(command, "level");
        var name = Add(command, "name");
        var parent = Add(command, "parent");
        foreach (var region in regions.All)
        {
            code.Value = region.Code;
            level.Value = (short)region.Level;
            name.Value = region.Name;
            parent.Value = (object?)region.ParentCode ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
