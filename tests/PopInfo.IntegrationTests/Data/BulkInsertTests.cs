using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// The dialect's bulk insert on PostgreSQL takes two paths: a few rows (a projection's rows of one change) go as one
/// multi-row INSERT, more as a binary COPY. Both write the same values, every CLR type the callers use included (a time
/// with an offset is stored as its instant), and both stay inside the caller's transaction.
/// </summary>
public sealed class BulkInsertTests
{
    private static readonly string[] Columns = ["id", "name", "small", "big", "day", "at", "note"];

    [Theory]
    [InlineData(3)]
    [InlineData(400)]
    public async Task Rows_are_written_as_given_on_either_path(int count)
    {
        // The two cases take the two paths.
        Assert.Equal(count == 3, count * Columns.Length <= PostgreSqlDialect.OneStatementAtMost);
        await using var database = await MigratedDatabase.CreateCurrentAsync("exchange", MigratedDatabase.PostgreSql);
        await database.ExecuteAsync("CREATE TABLE bulk_probe (id uuid, name text, small integer, big bigint, day date, at timestamptz, note text)");
        var rows = Enumerable.Range(0, count).Select(Row).ToList();

        await using (var connection = await database.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await database.Database.Dialect.BulkInsertAsync(connection, transaction, "bulk_probe", Columns, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var reader = await database.Database.OpenConnectionAsync();
        var stored = (await reader.QueryAsync<Stored>("SELECT id AS Id, name AS Name, small AS Small, big AS Big, day AS Day, at AS At, note AS Note FROM bulk_probe ORDER BY small")).ToList();
        Assert.Equal(count, stored.Count);
        for (var i = 0; i < count; i++)
        {
            var given = rows[i];
            Assert.Equal((Guid)given[0]!, stored[i].Id);
            Assert.Equal((string)given[1]!, stored[i].Name);
            Assert.Equal((int)given[2]!, stored[i].Small);
            Assert.Equal((long)given[3]!, stored[i].Big);
            Assert.Equal((DateOnly)given[4]!, DateOnly.FromDateTime(stored[i].Day));
            Assert.Equal(((DateTimeOffset)given[5]!).UtcDateTime, stored[i].At.ToUniversalTime());
            Assert.Equal((string?)given[6], stored[i].Note);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(400)]
    public async Task Rows_of_a_transaction_rolled_back_are_not_written(int count)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync("exchange", MigratedDatabase.PostgreSql);
        await database.ExecuteAsync("CREATE TABLE bulk_probe (id uuid, name text, small integer, big bigint, day date, at timestamptz, note text)");

        await using (var connection = await database.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await database.Database.Dialect.BulkInsertAsync(connection, transaction, "bulk_probe", Columns, Enumerable.Range(0, count).Select(Row), CancellationToken.None);
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await database.ScalarAsync("SELECT COUNT(*) FROM bulk_probe"));
    }

    // Every other row has a null note; the times carry China's offset, as the services' clocks never do, to show it is kept as an instant.
    private static object?[] Row(int i) =>
    [
        Guid.NewGuid(), $"行 {i}", i, 10_000_000_000L + i, new DateOnly(2026, 12, 7).AddDays(-i),
        new DateTimeOffset(2026, 12, 7, 16, 0, 0, TimeSpan.FromHours(8)).AddSeconds(i), i % 2 == 0 ? null : $"note {i}",
    ];

    private sealed class Stored
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public int Small { get; init; }
        public long Big { get; init; }
        public DateTime Day { get; init; }
        public DateTime At { get; init; }
        public string? Note { get; init; }
    }
}
