using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.Sharing.People;

/// <summary>
/// The read model's table <c>people</c> (one row per person at their latest version) and, through
/// <see cref="ProjectionLedgerStore"/>, its gap-free watermark. A change applies only when its version is newer than the row's,
/// so redelivery and reordering across persons do no harm.
/// </summary>
public sealed class PeopleStore
{
    private const string Columns =
        "person_id, version, id_number, name, name_key, birth_date, sex, status, residence_region_code, registered_region_code, household_id, record, sequence";

    // Rows per INSERT statement: 13 parameters each, inside every product's limit (SQL Server's 2,100 allows 160).
    private static int RowsPerStatement(SqlDialect dialect) => Math.Min(200, dialect.MaxParameters / 13 - 1);

    // What a verification reads: every column but the record (a kilobyte or more a person), which it never shows.
    private const string ColumnsWithoutRecord =
        "person_id, version, id_number, name, name_key, birth_date, sex, status, residence_region_code, registered_region_code, household_id, '' AS record, sequence";

    private static readonly string[] ColumnList = [.. Columns.Split(", ")];

    private readonly ServiceDatabase database;
    private readonly TimeProvider clock;
    private readonly ProjectionLedgerStore ledger;

    public PeopleStore([FromKeyedServices(SharingModule.Name)] ServiceDatabase database, TimeProvider clock)
    {
        this.database = database;
        this.clock = clock;
        ledger = new ProjectionLedgerStore(database, clock);
    }

    /// <summary>The sharing database, where the follower's lease is kept beside the read model.</summary>
    public ServiceDatabase Database => database;

    /// <summary>
    /// Where one request's look-ups read (<see cref="ServiceDatabase.Reads"/>): the replica, or the primary while it is away.
    /// A request takes it once and passes it to <see cref="AsOfAsync"/> and to every look-up, so that its <c>asOfSequence</c>
    /// is the watermark of the database its look-ups read (a source that falls back to the primary never returns to the replica).
    /// </summary>
    public ServiceDatabase Reads => database.Reads;

    public Task<ProjectionState> StateAsync(CancellationToken ct) => ledger.StateAsync(ct);

    /// <summary>Keeps a rebuild request for the instance that leads the follower.</summary>
    public Task RequestRebuildAsync(CancellationToken ct) => ledger.RequestRebuildAsync(ct);

    /// <summary>
    /// The look-ups' own watermark when they read a replica (<see cref="ServiceDatabase.Reads"/>): every change-log sequence up
    /// to it is in what they answer from (the replica holds the read model as of its replay); null without a replica, and
    /// while it is away.
    /// </summary>
    public async Task<long?> ReplicaWatermarkAsync(CancellationToken ct)
    {
        var reads = database.Reads;
        if (!reads.IsReplica)
        {
            return null;
        }

        var state = await StateAsync(reads, ct);
        return reads.IsReplica ? state.Low_Watermark : null;
    }

    /// <summary>
    /// The sequence the look-ups on <paramref name="reads"/> (<see cref="Reads"/>) may say they reflect (an answer's
    /// <c>asOfSequence</c>): the replica's watermark, read before the look-ups, when they read a replica — a replica only moves
    /// forward, so the look-ups then see at least every change up to it (the instance's own watermark could be ahead of what
    /// the replica has replayed); when they read the primary — no replica, or the replica away — the primary's:
    /// <paramref name="watermark"/>, the instance's own, or the one just read there when the replica went away during the read.
    /// </summary>
    public async Task<long> AsOfAsync(ServiceDatabase reads, long watermark, CancellationToken ct) =>
        reads.IsReplica ? (await StateAsync(reads, ct)).Low_Watermark : watermark;

    // The read model's state as the database of `reads` holds it (the primary's, if the replica goes away meanwhile).
    private Task<ProjectionState> StateAsync(ServiceDatabase reads, CancellationToken ct) =>
        reads.ReadAsync(new ProjectionLedgerStore(reads, clock).StateAsync, ct);

    public Task<long> PendingAsync(CancellationToken ct) => ledger.PendingAsync(ct);

    /// <summary>Applies change-log entries in one transaction with the watermark's move; returns the new watermark.</summary>
    public async Task<long> ApplyAsync(IReadOnlyList<PersonRow> changes, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var applied = await ledger.ApplyAsync(
            connection, transaction, changes, c => c.Sequence, c => c.Recorded_At, fresh => UpsertAsync(connection, transaction, database.Dialect, fresh, ct), ct);
        await transaction.CommitAsync(ct);
        return applied.Watermark;
    }

    /// <summary>Empties the read model before a rebuild (the watermark back to 0, no snapshot), fenced by the follower's lease.</summary>
    public async Task ResetAsync(LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ledger.ResetAsync(connection, transaction, fence, ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM people", transaction: transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Adds a batch of a snapshot's persons by the product's bulk path (COPY on PostgreSQL), fenced by the follower's lease
    /// (<see cref="ProjectionLedgerStore.AddSnapshotBatchAsync"/>). Only after <see cref="ResetAsync"/>: changes wait while a
    /// snapshot loads, and a snapshot has one line per person.
    /// </summary>
    public Task AddSnapshotBatchAsync(IReadOnlyList<PersonRow> people, LeaseFence fence, CancellationToken ct) =>
        ledger.AddSnapshotBatchAsync("people", ColumnList, people.Select(Values), fence, ct);

    public Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct) => ledger.FinishSnapshotAsync(sequence, fence, ct);

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM people", cancellationToken: ct));
    }

    /// <summary>
    /// On <paramref name="reads"/> (<see cref="Reads"/>), like the look-ups below: the persons holding an identity number (one,
    /// save for a moment while a corrected number moves between two); without
    /// <paramref name="record"/>, their records are left empty (a verification needs only name, birth date, sex and status).
    /// </summary>
    public Task<IReadOnlyList<PersonRow>> ByIdNumberAsync(ServiceDatabase reads, string idNumber, bool record, CancellationToken ct) =>
        reads.ReadAsync<IReadOnlyList<PersonRow>>(async c =>
        {
            await using var connection = await reads.OpenConnectionAsync(c);
            return [.. await connection.QueryAsync<PersonRow>(new CommandDefinition(
                $"SELECT {(record ? Columns : ColumnsWithoutRecord)} FROM people WHERE id_number = @idNumber", new { idNumber }, cancellationToken: c))];
        }, ct);

    /// <summary>Several identity numbers at once (a batch): each number's persons (records as <see cref="ByIdNumberAsync"/>).</summary>
    public Task<ILookup<string, PersonRow>> ByIdNumbersAsync(ServiceDatabase reads, IReadOnlyCollection<string> idNumbers, bool record, CancellationToken ct) =>
        reads.ReadAsync(async c =>
        {
            await using var connection = await reads.OpenConnectionAsync(c);
            var rows = new List<PersonRow>();
            foreach (var chunk in idNumbers.Distinct(StringComparer.Ordinal).Chunk(Domain.Sharing.SharingOperations.MaxBatch))
            {
                rows.AddRange(await connection.QueryAsync<PersonRow>(new CommandDefinition(
                    $"SELECT {(record ? Columns : ColumnsWithoutRecord)} FROM people WHERE {database.Dialect.In("id_number", "chunk")}", new { chunk }, cancellationToken: c)));
            }

            return rows.ToLookup(r => r.Id_Number, StringComparer.Ordinal);
        }, ct);

    /// <summary>Up to <paramref name="limit"/> persons with this name (as compared) and birth date, in a stable order.</summary>
    public Task<IReadOnlyList<PersonRow>> ByNameAndBirthAsync(ServiceDatabase reads, string nameKey, DateOnly birthDate, int limit, CancellationToken ct) =>
        reads.ReadAsync<IReadOnlyList<PersonRow>>(async c =>
        {
            await using var connection = await reads.OpenConnectionAsync(c);
            return [.. await connection.QueryAsync<PersonRow>(new CommandDefinition(ByNameAndBirthSql(database.Dialect), new { nameKey, birthDate, limit }, cancellationToken: c))];
        }, ct);

    internal static string ByNameAndBirthSql(SqlDialect dialect) =>
        $"SELECT {Columns} FROM people WHERE name_key = @nameKey AND birth_date = @birthDate ORDER BY person_id{dialect.Limit("@limit")}";

    /// <summary>Every person of a household.</summary>
    public Task<IReadOnlyList<PersonRow>> HouseholdAsync(ServiceDatabase reads, Guid householdId, CancellationToken ct) =>
        reads.ReadAsync<IReadOnlyList<PersonRow>>(async c =>
        {
            await using var connection = await reads.OpenConnectionAsync(c);
            return [.. await connection.QueryAsync<PersonRow>(new CommandDefinition(
                $"SELECT {Columns} FROM people WHERE household_id = @householdId ORDER BY person_id", new { householdId }, cancellationToken: c))];
        }, ct);

    private static object?[] Values(PersonRow p) =>
    [
        p.Person_Id, p.Version, p.Id_Number, p.Name, p.Name_Key, p.Birth_Date, p.Sex, p.Status, p.Residence_Region_Code,
        p.Registered_Region_Code, p.Household_Id, p.Record, p.Sequence,
    ];

    // Each person's newest version of the batch, written only over an older one.
    private static async Task UpsertAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IReadOnlyList<PersonRow> rows, CancellationToken ct)
    {
        var newest = rows.GroupBy(r => r.Person_Id).Select(g => g.MaxBy(r => r.Version)!).ToList();
        foreach (var batch in newest.Chunk(RowsPerStatement(dialect)))
        {
            var parameters = new DynamicParameters();
            for (var i = 0; i < batch.Length; i++)
            {
                var values = Values(batch[i]);
                for (var c = 0; c < values.Length; c++)
                {
                    parameters.Add($"p{i}_{c}", values[c]);
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(UpsertSql(dialect, batch.Length), parameters, transaction, cancellationToken: ct));
        }
    }

    // Each row written only over an older version (parameters @p{row}_{column}).
    internal static string UpsertSql(SqlDialect dialect, int rows) => dialect.Upsert("people", Columns,
        string.Join(", ", Enumerable.Range(0, rows).Select(i => $"({string.Join(", ", ColumnList.Select((_, c) => $"@p{i}_{c}"))})")),
        keys: "person_id", update: string.Join(", ", ColumnList.Skip(1).Select(c => $"{c} = excluded.{c}")), updateWhere: "people.version < excluded.version");
}
