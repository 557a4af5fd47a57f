using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// A projection's gap-free low watermark in its service's own schema: <c>projection_state</c> (one row: the snapshot
/// it was built from, the watermark) and <c>applied_sequences</c> (sequences applied above the watermark, waiting for the
/// gaps below to fill). The methods that take a transaction run in the caller's, so that the watermark moves with the
/// caller's rows or not at all.
/// </summary>
public sealed class ProjectionLedgerStore(ServiceDatabase database, TimeProvider clock)
{
    // Rows per INSERT statement: two parameters each, well inside both products' limits.
    private const int RowsPerStatement = 200;

    private const int AdvancePage = 1000;

    public async Task<ProjectionState> StateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<ProjectionState>(new CommandDefinition(
            "SELECT snapshot_sequence, low_watermark, watermark_recorded_at, built_at, rebuild_requested_at FROM projection_state WHERE id = 1", cancellationToken: ct));
    }

    /// <summary>Keeps a rebuild asked of this instance for the instance that leads the follower (the rebuild's reset clears it).</summary>
    public async Task RequestRebuildAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE projection_state SET rebuild_requested_at = @now WHERE id = 1", new { now = clock.GetUtcNow().ToUniversalTime() }, cancellationToken: ct));
    }

    /// <summary>How many sequences above the watermark are applied (waiting for the gaps below them).</summary>
    public async Task<long> PendingAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM applied_sequences", cancellationToken: ct));
    }

    /// <summary>
    /// Applies change-log entries in the caller's transaction: entries at or below the watermark (a redelivery, a snapshot
    /// that had them) are dropped, repeats of a sequence kept once; <paramref name="write"/> stores the rest (idempotently:
    /// another instance may have stored them above the watermark), every sequence is marked applied, and the watermark moves
    /// over every sequence now applied without a gap. A store not built (a rebuild loading its snapshot, on any instance) takes
    /// nothing: <see cref="ProjectionNotBuiltException"/> before any write, under the state row's lock the rebuild's reset and
    /// finish take too, so no change is written beside the snapshot.
    /// </summary>
    public async Task<AppliedChanges<T>> ApplyAsync<T>(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<T> changes, Func<T, long?> sequenceOf, Func<T, DateTimeOffset> recordedAtOf,
        Func<IReadOnlyList<T>, Task> write, CancellationToken ct)
    {
        // One writer of the watermark at a time (instances and consumers alike).
        var state = await LockAsync(connection, transaction, ct);
        if (state.Snapshot_Sequence is null)
        {
            throw new ProjectionNotBuiltException();
        }

        var fresh = changes.Where(c => sequenceOf(c) > state.Low_Watermark).DistinctBy(sequenceOf).ToList();
        await write(fresh);
        foreach (var batch in fresh.Chunk(RowsPerStatement))
        {
            var parameters = new DynamicParameters();
            for (var i = 0; i < batch.Length; i++)
            {
                parameters.Add($"s{i}", sequenceOf(batch[i]));
                // UTC: Npgsql writes timestamptz only from offset 0 (the type handler does not see DynamicParameters' values).
                parameters.Add($"r{i}", recordedAtOf(batch[i]).ToUniversalTime());
            }

            await connection.ExecuteAsync(new CommandDefinition(MarkAppliedSql(database.Dialect, batch.Length), parameters, transaction, cancellationToken: ct));
        }

        var watermark = await AdvanceAsync(connection, transaction, state.Low_Watermark, ct);
        var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM applied_sequences", transaction: transaction, cancellationToken: ct));
        return new(fresh, watermark, pending);
    }

    /// <summary>
    /// Empties the ledger before a rebuild (the watermark back to 0, no snapshot), in the caller's transaction, which
    /// deletes the projection's own rows after this call (the state row is locked first, as every writer does), fenced by
    /// the follower's lease: <see cref="LeaseLostException"/> before the caller commits when another instance leads.
    /// </summary>
    public async Task ResetAsync(DbConnection connection, DbTransaction transaction, LeaseFence fence, CancellationToken ct)
    {
        await LockAsync(connection, transaction, ct);
        await LeaseStore.WriteFencedAsync(connection, transaction, ResetSql(database.Dialect), new DynamicParameters(), fence, ct);
    }

    /// <summary>
    /// Marks the snapshot complete: everything up to its sequence is applied; the watermark moves on over what events
    /// brought meanwhile. Fenced by the follower's lease (nothing marked when another instance leads).
    /// </summary>
    public async Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var state = await LockAsync(connection, transaction, ct);
        var start = Math.Max(sequence, state.Low_Watermark);
        await LeaseStore.WriteFencedAsync(connection, transaction, FinishSql(database.Dialect),
            new DynamicParameters(new { sequence, start, now = clock.GetUtcNow().ToUniversalTime() }), fence, ct);
        var watermark = await AdvanceAsync(connection, transaction, start, ct);
        await transaction.CommitAsync(ct);
        return watermark;
    }

    /// <summary>
    /// Adds a batch of a snapshot's rows to the projection's <paramref name="table"/> by the product's bulk path (COPY on
    /// PostgreSQL), in a transaction of its own fenced by the follower's lease — the fence first, so that a builder that
    /// lost the lease learns it before the load, and its successor's take waits for this commit.
    /// </summary>
    public async Task AddSnapshotBatchAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LeaseStore.WriteFencedAsync(connection, transaction, LeaseStore.FenceSql(database.Dialect), new DynamicParameters(), fence, ct);
        await database.Dialect.BulkInsertAsync(connection, transaction, table, columns, rows, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The ledger's reset, then the fence.</summary>
    internal static string ResetSql(SqlDialect dialect) =>
        "DELETE FROM applied_sequences;\n" +
        "UPDATE projection_state SET snapshot_sequence = NULL, low_watermark = 0, watermark_recorded_at = NULL, built_at = NULL, rebuild_requested_at = NULL WHERE id = 1;\n" +
        LeaseStore.FenceSql(dialect);

    /// <summary>The snapshot's end (parameters <c>@sequence</c>, <c>@start</c>, <c>@now</c>), then the fence.</summary>
    internal static string FinishSql(SqlDialect dialect) =>
        "UPDATE projection_state SET snapshot_sequence = @sequence, low_watermark = @start, built_at = @now WHERE id = 1;\n" + LeaseStore.FenceSql(dialect);

    // Sequences marked applied, each once (parameters @s{i}, @r{i}).
    internal static string MarkAppliedSql(SqlDialect dialect, int rows) => dialect.Upsert("applied_sequences", "sequence, recorded_at",
        string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@s{i}, @r{i})")), keys: "sequence");

    internal static string LockSql(SqlDialect dialect) =>
        $"SELECT snapshot_sequence, low_watermark, watermark_recorded_at FROM projection_state{dialect.UpdateLockHint} WHERE id = 1{dialect.ForUpdate}";

    internal static string NextAppliedSql(SqlDialect dialect) =>
        $"SELECT sequence, recorded_at FROM applied_sequences WHERE sequence > @watermark ORDER BY sequence{dialect.Limit(AdvancePage.ToString(System.Globalization.CultureInfo.InvariantCulture))}";

    private Task<ProjectionState> LockAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        connection.QuerySingleAsync<ProjectionState>(new CommandDefinition(LockSql(database.Dialect), transaction: transaction, cancellationToken: ct));

    // Moves the watermark over every applied sequence that follows it without a gap, and forgets those.
    private async Task<long> AdvanceAsync(DbConnection connection, DbTransaction transaction, long watermark, CancellationToken ct)
    {
        var start = watermark;
        DateTimeOffset? recordedAt = null;
        while (true)
        {
            var next = (await connection.QueryAsync<AppliedRow>(new CommandDefinition(
                NextAppliedSql(database.Dialect),
                new { watermark }, transaction, cancellationToken: ct))).ToList();
            var moved = false;
            foreach (var row in next)
            {
                if (row.Sequence != watermark + 1)
                {
                    break;
                }

                watermark = row.Sequence;
                recordedAt = row.Recorded_At;
                moved = true;
            }

            if (!moved || next.Count < AdvancePage)
            {
                break;
            }
        }

        if (watermark != start)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM applied_sequences WHERE sequence <= @watermark; " +
                "UPDATE projection_state SET low_watermark = @watermark, watermark_recorded_at = @recordedAt WHERE id = 1",
                new { watermark, recordedAt = recordedAt?.ToUniversalTime() }, transaction, cancellationToken: ct));
        }

        return watermark;
    }

    private sealed class AppliedRow
    {
        public long Sequence { get; init; }
        public DateTimeOffset Recorded_At { get; init; }
    }
}
