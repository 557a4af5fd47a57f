using System.Data.Common;
using System.Globalization;

namespace PopInfo.SyntheticCity.Loading;

/// <summary>
/// A synthetic city goes into an empty register only: loading next to real or earlier data would mix
/// two populations and could collide on identity numbers. <c>--replace</c> empties the register's
/// person tables first — persons, their history, households, the change log and the command journal —
/// and resets the change sequence and the relay position, so the feed starts again from zero.
/// </summary>
internal static class RegisterTables
{
    private static readonly string[] Emptied = ["persons", "person_history", "households", "change_log", "commands"];

    /// <summary>Refuses a register that holds people or households, unless <paramref name="replace"/> says to empty it.</summary>
    /// <exception cref="CityLoadException">The register is not empty and <paramref name="replace"/> is false.</exception>
    public static async Task CheckAsync(DbConnection connection, DbTransaction? transaction, bool replace, CancellationToken ct)
    {
        if (replace)
        {
            return;
        }

        var persons = await CountAsync(connection, transaction, "persons", ct);
        var households = await CountAsync(connection, transaction, "households", ct);
        if (persons > 0 || households > 0)
        {
            throw new CityLoadException(
                $"The register already holds {persons:N0} persons and {households:N0} households. " +
                "Load into an empty register, or pass --replace to empty it first (this deletes every person, household, change-log entry and command).");
        }
    }

    /// <summary>
    /// Empties the register's person tables and resets the change feed (for --replace): TRUNCATE on
    /// PostgreSQL (<paramref name="truncate"/>, instant whatever the size), DELETE on SQLite, which has no TRUNCATE.
    /// </summary>
    public static async Task EmptyAsync(DbConnection connection, DbTransaction? transaction, bool truncate, CancellationToken ct)
    {
        foreach (var table in Emptied)
        {
            await ExecuteAsync(connection, transaction, truncate ? $"TRUNCATE {table}" : $"DELETE FROM {table}", ct);
        }

        await ExecuteAsync(connection, transaction, "UPDATE change_sequence SET last_sequence = 0", ct);
        await ExecuteAsync(connection, transaction, "UPDATE relay_position SET last_sequence = 0", ct);
    }

    private static async Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A load that cannot go ahead for a reason the user can fix; the message says how.</summary>
internal sealed class CityLoadException(string message) : Exception(message);
