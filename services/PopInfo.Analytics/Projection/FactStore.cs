using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.Analytics.Projection;

/// <summary>The projection's tables: person versions, and (through <see cref="ProjectionLedgerStore"/>) the low watermark and the sequences applied above it.</summary>
public sealed class FactStore
{
    private const string Columns =
        "person_id, version, change_type, occurred_at, recorded_at, status, residence_region_code, sex, birth_date, residence_type, " +
        "education, marital_status, ethnicity, household_id, origin_region_code, migrant_reason, sequence";

    // Rows per INSERT statement: 17 parameters each, inside every product's limit (SQL Server's 2,100 allows 123).
    private static int RowsPerStatement(SqlDialect dialect) => Math.Min(200, dialect.MaxParameters / 17 - 1);

    private readonly ServiceDatabase database;
    private readonly ProjectionLedgerStore ledger;

    public FactStore([FromKeyedServices(AnalyticsModule.Name)] ServiceDatabase database, TimeProvider clock)
    {
        this.database = database;
        ledger = new ProjectionLedgerStore(database, clock);
    }

    /// <summary>The analytics database, where the follower's lease is kept beside the projection.</summary>
    public ServiceDatabase Database => database;

    public Task<ProjectionState> StateAsync(CancellationToken ct) => ledger.StateAsync(ct);

    /// <summary>Keeps a rebuild request for the instance that leads the follower.</summary>
    public Task RequestRebuildAsync(CancellationToken ct) => ledger.RequestRebuildAsync(ct);

    /// <summary>
    /// Applies change-log entries in one transaction: versions already held (a redelivery, a snapshot that had them) are
    /// ignored, every sequence is marked applied, and the low watermark moves over every sequence now applied without a gap.
    /// Returns the versions that were not below the watermark, the new watermark, and how many sequences above it are applied.
    /// </summary>
    public async Task<(IReadOnlyList<PersonFacts> Applied, long Watermark, long Pending)> ApplyAsync(IReadOnlyList<PersonFacts> changes, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (applied, watermark, pending) = await ledger.ApplyAsync(
            connection, transaction, changes, c => c.Sequence, c => c.Recorded_At, fresh => InsertAsync(connection, transaction, database.Dialect, fresh, ct), ct);
        await transaction.CommitAsync(ct);
        return (applied, watermark, pending);
    }

    /// <summary>Empties the projection before a rebuild (the watermark back to 0, no snapshot), fenced by the follower's lease.</summary>
    public async Task ResetAsync(LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ledger.ResetAsync(connection, transaction, fence, ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM person_versions", transaction: transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Adds a batch of a snapshot's versions by the product's bulk path (COPY on PostgreSQL), fenced by the follower's lease
    /// (<see cref="ProjectionLedgerStore.AddSnapshotBatchAsync"/>). Only after <see cref="ResetAsync"/>: changes wait while a
    /// snapshot loads (<see cref="ProjectionReadiness"/>), so no version can be there already.
    /// </summary>
    public Task AddSnapshotBatchAsync(IReadOnlyList<PersonFacts> versions, LeaseFence fence, CancellationToken ct) =>
        ledger.AddSnapshotBatchAsync("person_versions", ColumnList, versions.Select(v => new object?[]
        {
            v.Person_Id, v.Version, v.Change_Type, v.Occurred_At, v.Recorded_At, v.Status, v.Residence_Region_Code, v.Sex, v.Birth_Date,
            v.Residence_Type, v.Education, v.Marital_Status, v.Ethnicity, v.Household_Id, v.Origin_Region_Code, v.Migrant_Reason, v.Sequence,
        }), fence, ct);

    private static readonly string[] ColumnList = [.. Columns.Split(", ")];

    /// <summary>Marks the snapshot complete: everything up to its sequence is applied; the watermark moves on over what events brought meanwhile.</summary>
    public Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct) => ledger.FinishSnapshotAsync(sequence, fence, ct);

    /// <summary>
    /// Every stored version up to the watermark <paramref name="upTo"/> — the snapshot's and the change log's up to it —
    /// streamed (loading the index). Versions above it are not read: they are read with the gaps below them filled
    /// (<see cref="ReadAppliedAsync"/>), so that the index holds the register exactly at its watermark.
    /// </summary>
    public async IAsyncEnumerable<PersonFacts> ReadAllAsync(long upTo, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = connection.QueryUnbufferedAsync<PersonFacts>($"SELECT {Columns} FROM person_versions WHERE sequence IS NULL OR sequence <= @upTo", new { upTo });
        await foreach (var row in rows.WithCancellation(ct))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The versions of the change log's sequences after <paramref name="after"/> up to <paramref name="upTo"/> (the store's
    /// watermark: all of them are stored and none will be added), by the index on <c>sequence</c>: what an instance's index
    /// adds when the store's watermark has moved, whichever instance stored them.
    /// </summary>
    public async Task<IReadOnlyList<PersonFacts>> ReadAppliedAsync(long after, long upTo, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<PersonFacts>(new CommandDefinition(
            $"SELECT {Columns} FROM person_versions WHERE sequence IS NOT NULL AND sequence > @after AND sequence <= @upTo", new { after, upTo }, cancellationToken: ct))];
    }

    /// <summary>How many sequences above the watermark are applied (waiting for the gaps below them).</summary>
    public Task<long> PendingAsync(CancellationToken ct) => ledger.PendingAsync(ct);

    /// <summary>Counts of stored versions and persons (status and tests).</summary>
    public async Task<(long Versions, long Persons)> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var versions = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM person_versions", cancellationToken: ct));
        var persons = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(DISTINCT person_id) FROM person_versions", cancellationToken: ct));
        return (versions, persons);
    }

    // Versions already held are ignored.
    internal static string InsertSql(SqlDialect dialect, int rows) => dialect.Upsert("person_versions", Columns,
        string.Join(", ", Enumerable.Range(0, rows).Select(i =>
            $"(@p{i}, @v{i}, @ct{i}, @o{i}, @r{i}, @st{i}, @rr{i}, @sx{i}, @b{i}, @rt{i}, @e{i}, @m{i}, @et{i}, @h{i}, @or{i}, @mr{i}, @sq{i})")),
        keys: "person_id, version");

    /// <summary>
    /// Each (person, version) once, the first given: rows already held are ignored by the upsert, but one statement may not
    /// name a key twice on SQL Server (its <c>MERGE</c> would insert both and fail on the key, where PostgreSQL's
    /// <c>DO NOTHING</c> keeps the first), so repeats are dropped before the statement on every product.
    /// </summary>
    internal static IEnumerable<PersonFacts> OnePerVersion(IEnumerable<PersonFacts> versions) => versions.DistinctBy(v => (v.Person_Id, v.Version));

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IReadOnlyList<PersonFacts> versions,
        CancellationToken ct)
    {
        foreach (var batch in OnePerVersion(versions).Chunk(RowsPerStatement(dialect)))
        {
            var parameters = new DynamicParameters();
            for (var i = 0; i < batch.Length; i++)
            {
                var v = batch[i];
                parameters.Add($"p{i}", v.Person_Id);
                parameters.Add($"v{i}", v.Version);
                parameters.Add($"ct{i}", v.Change_Type);
                // UTC: Npgsql writes timestamptz only from offset 0 (the type handler does not see DynamicParameters' values).
                parameters.Add($"o{i}", v.Occurred_At.ToUniversalTime());
                parameters.Add($"r{i}", v.Recorded_At.ToUniversalTime());
                parameters.Add($"st{i}", v.Status);
                parameters.Add($"rr{i}", v.Residence_Region_Code);
                parameters.Add($"sx{i}", v.Sex);
                parameters.Add($"b{i}", v.Birth_Date);
                parameters.Add($"rt{i}", v.Residence_Type);
                parameters.Add($"e{i}", v.Education);
                parameters.Add($"m{i}", v.Marital_Status);
                parameters.Add($"et{i}", v.Ethnicity);
                parameters.Add($"h{i}", v.Household_Id);
                parameters.Add($"or{i}", v.Origin_Region_Code);
                parameters.Add($"mr{i}", v.Migrant_Reason);
                parameters.Add($"sq{i}", v.Sequence);
            }

            await connection.ExecuteAsync(new CommandDefinition(InsertSql(dialect, batch.Length), parameters, transaction, cancellationToken: ct));
        }
    }
}
