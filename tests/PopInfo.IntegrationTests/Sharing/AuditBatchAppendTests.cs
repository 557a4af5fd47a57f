using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Sharing.Audit;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// <see cref="AuditTable.AppendManyAsync"/>: rows appended as one batch (multi-row inserts in chunks, the head moved once)
/// get exactly the hashes of the same rows appended one by one, and the chain verification accepts them, on PostgreSQL
/// and SQLite; batches and single appends mix in one chain.
/// </summary>
public sealed class AuditBatchAppendTests
{
    private static readonly AuditTable Table = AccessAuditStore.Table;

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task A_batch_has_the_hashes_of_the_same_rows_appended_one_by_one_and_verifies(string provider)
    {
        // More than two statements' worth: the chain runs on across the chunks of one batch.
        var rows = Rows(Table.RowsPerInsert * 2 + 17);
        await using var oneByOne = await SharingDatabase.CreateAsync(provider);
        await using var batched = await SharingDatabase.CreateAsync(provider);

        await InTransactionAsync(oneByOne, async (connection, transaction) =>
        {
            foreach (var row in rows)
            {
                await Table.AppendAsync(connection, transaction, oneByOne.Database.Dialect, row, CancellationToken.None);
            }
        });
        IReadOnlyList<long> ids = [];
        await InTransactionAsync(batched, async (connection, transaction) =>
            ids = await Table.AppendManyAsync(connection, transaction, batched.Database.Dialect, rows, CancellationToken.None));

        var expected = await HashesAsync(oneByOne);
        var actual = await HashesAsync(batched);
        Assert.Equal(rows.Count, expected.Count);
        Assert.Equal(rows.Count, expected.Distinct().Count());
        Assert.Equal(expected, actual);
        Assert.Equal(rows.Count, ids.Count);
        Assert.Equal(await IdsAsync(batched), ids);

        var report = await VerifyAsync(batched);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(rows.Count, report.ChainedRows);
        Assert.Equal(expected[^1], report.LastHash);
        Assert.Equal(ids[^1], report.LastId);
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Batches_and_single_rows_make_one_chain_and_an_edited_batch_row_is_found(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var rows = Rows(12);
        await InTransactionAsync(database, (c, t) => Table.AppendAsync(c, t, database.Database.Dialect, rows[0], CancellationToken.None));
        await InTransactionAsync(database, (c, t) => Table.AppendManyAsync(c, t, database.Database.Dialect, rows[1..6], CancellationToken.None));
        await InTransactionAsync(database, (c, t) => Table.AppendAsync(c, t, database.Database.Dialect, rows[6], CancellationToken.None));
        await InTransactionAsync(database, (c, t) => Table.AppendManyAsync(c, t, database.Database.Dialect, rows[7..], CancellationToken.None));
        // An empty batch changes nothing.
        await InTransactionAsync(database, (c, t) => Table.AppendManyAsync(c, t, database.Database.Dialect, [], CancellationToken.None));

        var report = await VerifyAsync(database);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(12, report.ChainedRows);

        // A row written by a batch, edited (as the schema's owner could): the verification names it.
        var ids = await IdsAsync(database);
        await database.ExecuteAsync($"UPDATE access_audit SET outcome = 'edited' WHERE id = {ids[3]}");
        var broken = await VerifyAsync(database);
        Assert.Equal(ids[3], broken.BrokenAt);
        Assert.Contains("does not match its hash", broken.Problem, StringComparison.Ordinal);
    }

    /// <summary>Rows of every shape: empty columns, a Chinese case reference (UTF-8 lengths), times finer than a microsecond.</summary>
    public static List<IReadOnlyDictionary<string, object?>> Rows(int count)
    {
        var start = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i => AccessAuditStore.Values(new AccessAuditEntry(
            start.AddTicks(i * 10_000_123L), new Guid(i, 1, 2, [3, 4, 5, 6, 7, 8, 9, 10]), $"dept-{i % 3}",
            i % 4 == 0 ? null : $"clerk{i % 7}", i % 2 == 0 ? "verify" : "lookup", "school-enrolment", i % 5 == 0 ? $"案卷-{i}" : $"CASE-{i}",
            i % 6 == 0 ? null : new Guid(i + 1000, 3, 4, [5, 6, 7, 8, 9, 10, 11, 12]), i % 2 == 0 ? [] : ["name", "birthDate"],
            i % 6 == 0 ? "no-match" : "match", i % 9 == 0 ? null : 1000 + i)))];
    }

    private static async Task InTransactionAsync(SharingDatabase database, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task> work)
    {
        await using var connection = await database.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await work(connection, transaction);
        await transaction.CommitAsync();
    }

    private static async Task<List<string>> HashesAsync(SharingDatabase database)
    {
        await using var connection = await database.Database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("SELECT hash FROM access_audit ORDER BY id")];
    }

    private static async Task<List<long>> IdsAsync(SharingDatabase database)
    {
        await using var connection = await database.Database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<long>("SELECT id FROM access_audit ORDER BY id")];
    }

    private static async Task<AuditChainReport> VerifyAsync(SharingDatabase database)
    {
        await using var connection = await database.Database.OpenConnectionAsync();
        return await Table.VerifyAsync(connection, CancellationToken.None);
    }
}
