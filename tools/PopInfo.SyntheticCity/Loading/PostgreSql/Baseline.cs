using System.Diagnostics;
using Npgsql;
using PopInfo.Domain.Regions;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading.PostgreSql;

/// <summary>The raw COPY's figures: rows and time, and the rate.</summary>
internal sealed record BaselineResult(long Rows, TimeSpan Copy)
{
    public double RowsPerSecond => Rows / Math.Max(Copy.TotalSeconds, 1e-9);
}

/// <summary>
/// What PostgreSQL can ingest of these rows at best: the same persons rows, generated and serialised in
/// memory BEFORE the clock starts, then one binary COPY into a scratch table with the same columns and
/// indexes as registry.persons (<c>LIKE … INCLUDING ALL</c>) in a schema of its own, which is dropped
/// afterwards. The load's rate divided by this one says how much generation and the pipeline cost.
/// </summary>
internal sealed class Baseline(LoadSettings settings, LoadCounters counters)
{
    public const string ScratchSchema = "city_baseline";

    public async Task<BaselineResult> RunAsync(CancellationToken ct)
    {
        counters.Phase = "baseline: generating in memory";
        var batches = new List<PersonBatch>();
        var batch = new PersonBatch();
        var loadedAt = DateTimeOffset.UtcNow;
        foreach (var unit in new CityHistory(new CityGenerator(settings.City, RegionCatalogue.Wuxi), loadedAt).Units())
        {
            batch.Add(unit);
            if (batch.Living >= BatchProducer.DefaultBatchSize)
            {
                batches.Add(batch);
                batch = new PersonBatch();
            }
        }

        batches.Add(batch);

        await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString!);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {ScratchSchema} CASCADE; CREATE SCHEMA {ScratchSchema}; " +
            $"CREATE TABLE {ScratchSchema}.persons (LIKE {PostgreSqlLoader.Schema}.persons INCLUDING ALL)", ct);
        try
        {
            // Start from the same place as the load did: no dirty pages of earlier work left to flush.
            await ExecuteAsync(connection, "CHECKPOINT", ct);
            counters.Phase = "baseline: raw COPY";
            var clock = Stopwatch.StartNew();
            long rows = 0;
            await using (var writer = await connection.BeginBinaryImportAsync(CopyRows.CopyPersons($"{ScratchSchema}.persons"), ct))
            {
                foreach (var b in batches)
                {
                    for (var i = 0; i < b.Count; i++)
                    {
                        CopyRows.WritePerson(writer, b.People[i], b.JsonOf(i));
                    }

                    rows += b.Count;
                }

                await writer.CompleteAsync(ct);
            }

            return new BaselineResult(rows, clock.Elapsed);
        }
        finally
        {
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {ScratchSchema} CASCADE", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
