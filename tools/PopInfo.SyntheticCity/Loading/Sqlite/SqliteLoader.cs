using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using PopInfo.Domain.Regions;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading.Sqlite;

/// <summary>
/// Loads a generated city and its history into the embedded mode's data/registry.db: prepared INSERTs, all in ONE
/// transaction (a crash leaves the file as it was), with the plain secondary indexes dropped during
/// the load and rebuilt after. Values are bound as the registry binds them through Dapper, with the
/// same CLR types, so Microsoft.Data.Sqlite stores them in the same forms — Guid as upper-case text,
/// DateOnly as yyyy-MM-dd, UTC DateTimeOffset as ISO-8601 text — and the registry reads the rows
/// exactly as it reads its own.
/// </summary>
internal sealed class SqliteLoader(LoadSettings settings, LoadCounters counters, ILogger logger)
{
    // A large page cache keeps the unique identity-number index, which cannot be dropped, in memory. The
    // rollback journal instead of WAL: pages appended to the file need no journal, so the city is written
    // once, where WAL would write it twice (into the log, then into the file at the checkpoint). The
    // registry's dialect puts the file back into WAL mode whenever it opens it.
    private const string BulkPragmas = "PRAGMA journal_mode = DELETE; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;";

    public async Task<LoadResult> LoadAsync(CancellationToken ct)
    {
        var dialect = SqliteDialect.Create(settings.DataDirectory, RegistryModule.Name);
        counters.Phase = "migrating";
        await DatabaseMigrator.MigrateAsync(new ServiceDatabase(RegistryModule.Name, dialect), typeof(RegistryModule).Assembly, logger, ct);

        // Leaving WAL mode needs the file to itself: close the migrator's pooled connections first.
        SqliteConnection.ClearAllPools();
        await using var connection = (SqliteConnection)await dialect.OpenConnectionAsync(ct);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = BulkPragmas;
            await pragma.ExecuteNonQueryAsync(ct);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await RegionRows.EnsureAsync(connection, transaction, RegionCatalogue.Wuxi, ct);
        await RegisterTables.CheckAsync(connection, transaction, settings.Replace, ct);
        if (settings.Replace)
        {
            await RegisterTables.EmptyAsync(connection, transaction, truncate: false, ct);
        }

        var clock = Stopwatch.StartNew();
        counters.Phase = "dropping indexes";
        var indexes = await SqliteIndexes.DropAsync(connection, transaction, ["persons", "person_history", "households"], ct);

        var inserted = await InsertCityAsync(connection, transaction, ct);
        var copied = clock.Elapsed;

        counters.Phase = "building indexes";
        await SqliteIndexes.CreateAsync(connection, transaction, indexes, ct);
        counters.Phase = "committing";
        await transaction.CommitAsync(ct);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(ct);
        }

        counters.Phase = "done";
        return inserted with { Total = clock.Elapsed, Copy = copied, Indexes = clock.Elapsed - copied };
    }

    private async Task<LoadResult> InsertCityAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = new BatchProducer();
        var batches = BatchProducer.CreateChannel();
        var city = new CityHistory(new CityGenerator(settings.City, RegionCatalogue.Wuxi), DateTimeOffset.UtcNow);
        var produce = Task.Factory.StartNew(
            () => producer.Run(city, [batches.Writer], failed.Token),
            failed.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        counters.Phase = "inserting";
        try
        {
            var result = await Task.Run(() => Insert(connection, transaction, batches.Reader, producer, failed.Token), failed.Token);
            await produce;
            return result;
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private async Task<LoadResult> Insert(SqliteConnection connection, SqliteTransaction transaction, ChannelReader<PersonBatch> batches, BatchProducer producer, CancellationToken ct)
    {
        using var persons = new PersonInsert(connection, transaction);
        using var history = new HistoryInsert(connection, transaction);
        using var households = new HouseholdInsert(connection, transaction);
        long people = 0;
        long historyRows = 0;
        long living = 0;
        long householdRows = 0;
        while (await batches.WaitToReadAsync(ct))
        {
            while (batches.TryRead(out var batch))
            {
                foreach (var row in batch.Households)
                {
                    var h = row.Household;
                    households.Execute(h.Id, h.Number, h.Address, h.RegionCode, row.CreatedAt);
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    persons.Execute(batch.People[i], Encoding.UTF8.GetString(batch.JsonOf(i).Span));
                }

                for (var i = 0; i < batch.History.Count; i++)
                {
                    history.Execute(batch.History[i], Encoding.UTF8.GetString(batch.HistoryJsonOf(i).Span));
                }

                people += batch.Count;
                historyRows += batch.History.Count;
                living += batch.Living;
                householdRows += batch.Households.Count;
                counters.AddPeople(batch.Living);
                counters.AddHouseholds(batch.Households.Count);
                producer.Return(batch);
            }
        }

        return new LoadResult(people, householdRows, historyRows, living, default, default, default);
    }
}
