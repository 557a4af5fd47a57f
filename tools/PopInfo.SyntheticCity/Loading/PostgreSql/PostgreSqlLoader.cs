using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using PopInfo.Domain.Regions;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.SyntheticCity.Loading.PostgreSql;

/// <summary>
/// Loads a generated city into the registry's schema. Persons, their history and households are copied
/// (binary COPY, several connections at once) into staging copies of the three tables while the generator
/// produces them on another thread; the indexes are then built on the full staging tables, several
/// at a time; and ONE short transaction swaps the staging tables in for the (empty) register tables.
/// The register therefore changes atomically: it shows nothing of the city until the swap commits,
/// and a failure or a kill at any point before leaves it exactly as it was. A killed load leaves only
/// the staging tables behind, which the next load drops first: a load is always safe to re-run.
/// </summary>
/// <remarks>
/// The city is the register's starting state: no change_log entries. With history (the default) each
/// person's superseded versions go to person_history; without, every person is at version 1,
/// "registered", as of the load time (see docs/synthetic-city.md).
/// </remarks>
internal sealed partial class PostgreSqlLoader(LoadSettings settings, LoadCounters counters, ILogger logger)
{
    public const string Schema = RegistryModule.Name;

    // Taken for the whole load so that two loads never share the staging tables.
    private const long AdvisoryLockKey = 0x5043_4954_594C_4F41; // "PCITYLOA"

    public async Task<LoadResult> LoadAsync(CancellationToken ct)
    {
        var dialect = PostgreSqlDialect.Create(settings.ConnectionString!, Schema);
        await using var dataSource = dialect.DataSource;
        counters.Phase = "migrating";
        await DatabaseMigrator.MigrateAsync(new ServiceDatabase(Schema, dialect), typeof(RegistryModule).Assembly, logger, ct);

        await using var control = await dataSource.OpenConnectionAsync(ct);
        await TakeLoadLockAsync(control, ct);
        await RegionRows.EnsureAsync(control, null, RegionCatalogue.Wuxi, ct);
        await RegisterTables.CheckAsync(control, null, settings.Replace, ct);
        var persons = await TableShape.ReadAsync(control, Schema, "persons", ct);
        var households = await TableShape.ReadAsync(control, Schema, "households", ct);
        var history = await TableShape.ReadAsync(control, Schema, "person_history", ct);
        TableShape[] tables = [persons, history, households];

        var clock = Stopwatch.StartNew();
        try
        {
            await ExecuteAsync(control, string.Join("; ", tables.Select(t => t.CreateStagingSql())), ct);
            if (settings.KeepIndexes)
            {
                // Indexes first, then rows: every key goes into the B-trees one by one, as an ordinary insert would.
                foreach (var sql in IndexStatements(tables))
                {
                    await ExecuteAsync(control, sql, ct);
                }
            }

            var copiedRows = await CopyCityAsync(dataSource, persons, history, households, ct);
            var copied = clock.Elapsed;
            if (!settings.KeepIndexes)
            {
                counters.Phase = "building indexes";
                await BuildIndexesAsync(dataSource, IndexStatements(tables), ct);
            }

            var indexed = clock.Elapsed - copied;
            counters.Phase = "swapping in";
            await SwapAsync(control, tables, ct);
            counters.Phase = "analyzing";
            await ExecuteAsync(control, $"ANALYZE {string.Join(", ", tables.Select(t => t.Qualified))}", ct);
            counters.Phase = "done";
            return copiedRows with { Total = clock.Elapsed, Copy = copied, Indexes = indexed };
        }
        catch
        {
            await DropStagingAsync(control, tables);
            throw;
        }
    }

    private async Task SwapAsync(NpgsqlConnection control, TableShape[] tables, CancellationToken ct)
    {
        await using var transaction = await control.BeginTransactionAsync(ct);
        // A running registry holding locks on the tables makes the swap wait; give up with a clear message rather than hang.
        await ExecuteAsync(control, "SET LOCAL lock_timeout = '30s'", ct, transaction);
        await ExecuteAsync(control, $"LOCK TABLE {string.Join(", ", tables.Select(t => t.Qualified))} IN ACCESS EXCLUSIVE MODE", ct, transaction);

        // Checked again under the lock: someone may have registered a person while the city was being copied.
        await RegisterTables.CheckAsync(control, transaction, settings.Replace, ct);
        if (settings.Replace)
        {
            await RegisterTables.EmptyAsync(control, transaction, truncate: true, ct);
        }

        foreach (var sql in tables.SelectMany(t => t.SwapSql()))
        {
            await ExecuteAsync(control, sql, ct, transaction);
        }

        await transaction.CommitAsync(ct);
    }

    // Nothing reached the register; leave no staging tables either. Best effort: when the server is gone this
    // fails too, and the next load drops them before it starts, so the first error is the one to report.
    private async Task DropStagingAsync(NpgsqlConnection control, TableShape[] tables)
    {
        try
        {
            await ExecuteAsync(control, string.Join("; ", tables.Select(t => t.DropStagingSql())), CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning("Could not drop the staging tables ({Message}); the next load drops them.", ex.Message);
        }
    }

    private static async Task TakeLoadLockAsync(NpgsqlConnection control, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", control);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        if (!(bool)(await command.ExecuteScalarAsync(ct))!)
        {
            throw new CityLoadException("Another synthetic-city load is running against this database; wait for it to finish.");
        }
    }

    // Roughly longest first, so that the builders finish together: the big tables before the small one, and
    // within a table the (text) secondary keys before the primary key on an ordered uuid, the cheapest sort.
    private static IEnumerable<string> IndexStatements(TableShape[] tables) =>
        tables.SelectMany(t => Enumerable.Range(0, t.Indexes.Count)
            .OrderBy(i => t.Indexes[i].Constraint == 'p')
            .Select(t.CreateIndexSql));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
