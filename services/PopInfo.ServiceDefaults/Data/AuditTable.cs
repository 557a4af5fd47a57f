using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>How a column's value is written into an audit row's hash, the same whichever product returns it.</summary>
public enum AuditValue
{
    Text,

    /// <summary>A time, hashed as UTC with microseconds (PostgreSQL keeps no finer time).</summary>
    Time,

    Uuid,
}

public sealed record AuditColumn(string Name, AuditValue Kind = AuditValue.Text);

/// <summary>
/// An audit table whose rows form a hash chain (docs/database-roles.md, "Audit chain"): each row carries
/// <c>prev_hash</c>, the hash of the row before it, and <c>hash</c> = SHA-256 over that previous hash and the
/// row's content (its columns in declared order, as canonical text: <see cref="Hash"/>). The chain's head (last id and hash) is kept
/// apart in <c>audit_chain_head</c>, moved in the same transaction, so that removing the last rows is caught
/// too. Appends take a lock in the database (PostgreSQL: an advisory lock per table; SQLite: its one writer),
/// so several instances of a service keep one order. The store of the chain's SQL, for every service.
/// </summary>
public sealed class AuditTable
{
    public const string HeadTable = "audit_chain_head";

    /// <summary>The previous hash of the first row of a chain.</summary>
    public static readonly string Genesis = new('0', 64);

    public AuditTable(string name, params AuditColumn[] columns)
    {
        Name = name;
        Columns = columns;
    }

    /// <summary>
    /// The chain's head (<c>@Name</c>), read and locked until the caller's transaction ends: the table's appenders take turns
    /// on this row, and one that waited reads the head its predecessor left. (SQLite has one writer at a time anyway.)
    /// </summary>
    public static string LockHeadSql(SqlDialect dialect) =>
        $"SELECT last_id AS LastId, last_hash AS LastHash FROM {HeadTable}{dialect.UpdateLockHint} WHERE table_name = @Name{dialect.ForUpdate}";

    /// <summary>
    /// One row appended: its insert (returning its id), then the head moved to it — unless the head is not the one read
    /// (<c>@prevHash</c>), when the second statement returns no row. Under the head's lock the new row has the table's
    /// highest id.
    /// </summary>
    public string AppendSql(SqlDialect dialect) =>
        $"{InsertSql(dialect)};\n" +
        $"UPDATE {HeadTable} SET last_id = (SELECT MAX(id) FROM {Name}), last_hash = @hash{dialect.Output("last_id")} " +
        $"WHERE table_name = @Name AND last_hash = @prevHash{dialect.Returning("last_id")}";

    /// <summary>
    /// One row appended in one round trip, for a product that hashes in the database (<see cref="SqlDialect.Sha256Hex"/>;
    /// null for the others): the head locked, the row inserted with the head's hash as its <c>prev_hash</c> and its own
    /// hash computed from it and <c>@content</c> (<see cref="Content"/>), the head moved to it. Two results: the head
    /// as locked, then the row's id, previous hash and hash, which the caller checks against its own hashing. Each statement reads the head afresh (read
    /// committed), so the insert sees the head the lock's previous holder left.
    /// </summary>
    public string? AppendInOneTripSql(SqlDialect dialect) =>
        dialect.Sha256Hex("h.last_hash || @content") is not { } hash
            ? null
            : $"{LockHeadSql(dialect)};\n" +
              $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(c => c.Name))}, prev_hash, hash) " +
              $"SELECT {string.Join(", ", Columns.Select((_, i) => "@p" + i))}, h.last_hash, {hash} FROM {HeadTable} h WHERE h.table_name = @Name;\n" +
              $"UPDATE {HeadTable} SET last_id = a.id, last_hash = a.hash FROM {Name} a " +
              $"WHERE {HeadTable}.table_name = @Name AND a.id = (SELECT MAX(id) FROM {Name}){dialect.Returning("a.id AS Id, a.prev_hash AS PrevHash, a.hash AS Hash")}";

    /// <summary>One row's insert (parameters <c>@p0…</c>, <c>@prevHash</c>, <c>@hash</c>), returning its id.</summary>
    public string InsertSql(SqlDialect dialect) =>
        $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(c => c.Name))}, prev_hash, hash){dialect.Output("id")} " +
        $"VALUES ({string.Join(", ", Columns.Select((_, i) => "@p" + i))}, @prevHash, @hash){dialect.Returning("id")}";

    public string Name { get; }

    public IReadOnlyList<AuditColumn> Columns { get; }

    /// <summary>Appends one row in the work's transaction, or in one of its own when the work has none (see the overload on a connection).</summary>
    public Task<long> AppendAsync(UnitOfWork work, IReadOnlyDictionary<string, object?> values, CancellationToken ct) =>
        AppendAsync(work.Connection, work.Transaction, work.Dialect, values, ct);

    /// <summary>
    /// Appends one row (values by column name; every column must be given) in the caller's transaction, or in
    /// one of its own when there is none, so that the row and the head commit together. Returns its id.
    /// </summary>
    public async Task<long> AppendAsync(DbConnection connection, DbTransaction? transaction, SqlDialect dialect,
        IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        if (transaction is null)
        {
            await using var own = await connection.BeginTransactionAsync(ct);
            var id = await AppendAsync(connection, own, dialect, values, ct);
            await own.CommitAsync(ct);
            return id;
        }

        var parameters = new DynamicParameters();
        var canonical = new string?[Columns.Count];
        for (var i = 0; i < Columns.Count; i++)
        {
            if (!values.TryGetValue(Columns[i].Name, out var given))
            {
                throw new ArgumentException($"The audit row of {Name} has no value for {Columns[i].Name}.", nameof(values));
            }

            var value = Stored(Columns[i].Kind, given);
            parameters.Add("p" + i, value);
            canonical[i] = Canonical(Columns[i].Kind, value);
        }

        parameters.Add("Name", Name);
        if (insertStatements.GetOrAdd((OneTrip, dialect.MigrationFolder), _ => AppendInOneTripSql(dialect)) is { } oneTrip)
        {
            // The head's lock is held until the caller commits, so every round trip under it is time the table's other
            // appenders wait (the desk's busiest path, docs/benchmarks.md): one, here.
            parameters.Add("content", Content(canonical));
            await using var appendedResults = await connection.QueryMultipleAsync(new CommandDefinition(oneTrip, parameters, transaction, cancellationToken: ct));
            await appendedResults.ReadSingleAsync<Head>();
            var appended = await appendedResults.ReadSingleAsync<Appended>();
            if (Hash(appended.PrevHash, canonical) != appended.Hash)
            {
                throw new InvalidOperationException($"The database hashed the row appended to {Name} otherwise than its verifier does.");
            }

            return appended.Id;
        }

        var head = await connection.QuerySingleAsync<Head>(new CommandDefinition(LockHeadSql(dialect), new { Name }, transaction, cancellationToken: ct));
        var hash = Hash(head.LastHash, canonical);
        parameters.Add("prevHash", head.LastHash);
        parameters.Add("hash", hash);
        // The row and the head's move in one round trip after the lock's.
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            insertStatements.GetOrAdd((SingleRow, dialect.MigrationFolder), _ => AppendSql(dialect))!, parameters, transaction, cancellationToken: ct));
        var rowId = await results.ReadSingleAsync<long>();
        var moved = (await results.ReadAsync<long>()).ToList();
        if (moved.Count != 1 || moved[0] != rowId)
        {
            throw new InvalidOperationException($"The head of the audit chain of {Name} moved while it was locked.");
        }

        return rowId;
    }

    /// <summary>
    /// Appends many rows in the caller's transaction (values by column name, every column given; in chain order), with
    /// the same hashes as appending them one by one: the chain's lock taken once, the head read once, each row's hash
    /// computed from the one before it, the rows inserted by multi-row <c>INSERT</c>s of <see cref="RowsPerInsert"/> and
    /// the head moved once to the last. What makes a group commit possible: one lock and three round trips per
    /// statement's worth of rows, not per row. Returns the rows' ids in order.
    /// </summary>
    public async Task<IReadOnlyList<long>> AppendManyAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var head = await connection.QuerySingleAsync<Head>(new CommandDefinition(LockHeadSql(dialect), new { Name }, transaction, cancellationToken: ct));

        var ids = new List<long>(rows.Count);
        var previous = head.LastHash;
        var rowsPerInsert = RowsPerInsertOf(dialect);
        for (var first = 0; first < rows.Count; first += rowsPerInsert)
        {
            var count = Math.Min(rowsPerInsert, rows.Count - first);
            // Built by hand, not by Dapper: a batch of 1,000 rows is 13,000 parameters, and positional ones cost PostgreSQL's
            // driver no name look-ups.
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = MultiRowInsertSql(count, dialect);
            var canonical = new string?[Columns.Count];
            var positions = new Dictionary<string, int>(count, StringComparer.Ordinal);
            for (var r = 0; r < count; r++)
            {
                for (var i = 0; i < Columns.Count; i++)
                {
                    var value = Stored(Columns[i].Kind, ValueOf(rows[first + r], Columns[i].Name));
                    Add(command, dialect, value);
                    canonical[i] = Canonical(Columns[i].Kind, value);
                }

                var hash = Hash(previous, canonical);
                Add(command, dialect, previous);
                Add(command, dialect, hash);
                positions[hash] = r;
                previous = hash;
            }

            // Each returned id comes with its row's hash, which says which row it is: the order the rows come back in is
            // not relied on (SQL Server does not promise an OUTPUT order; PostgreSQL's RETURNING order is not documented).
            var inserted = new long[count];
            var returned = 0;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    if (!positions.Remove(reader.GetString(1), out var position))
                    {
                        throw new InvalidOperationException($"The rows appended to {Name} came back with a hash that was not appended, or twice.");
                    }

                    inserted[position] = reader.GetInt64(0);
                    returned++;
                }
            }

            // The chain's order is the ids' order: the rows must be numbered in the order given (every product does so for a
            // VALUES list); a product that did not would break the chain, so it is checked rather than assumed.
            if (returned != count || inserted.Zip(inserted.Skip(1)).Any(p => p.Second <= p.First) || (ids.Count > 0 && inserted[0] <= ids[^1]))
            {
                throw new InvalidOperationException($"The rows appended to {Name} were not numbered in the order given.");
            }

            ids.AddRange(inserted);
        }

        var moved = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {HeadTable} SET last_id = @rowId, last_hash = @hash WHERE table_name = @Name AND last_hash = @prevHash",
            new { rowId = ids[^1], hash = previous, Name, prevHash = head.LastHash }, transaction, cancellationToken: ct));
        if (moved != 1)
        {
            throw new InvalidOperationException($"The head of the audit chain of {Name} moved while it was locked.");
        }

        return ids;
    }

    /// <summary>
    /// Rows per multi-row insert: as many as keep a statement under 8,000 parameters (PostgreSQL takes 65,535, SQLite's
    /// bundled build 32,766), so a batch of 1,000 rows of a dozen columns is two statements.
    /// </summary>
    public int RowsPerInsert => Math.Max(1, 8000 / (Columns.Count + 2));

    // Fewer where the product takes fewer parameters (SQL Server: 2,100).
    private int RowsPerInsertOf(SqlDialect dialect) => Math.Max(1, Math.Min(RowsPerInsert, (dialect.MaxParameters - 1) / (Columns.Count + 2)));

    // The statement for a number of rows, made once per number and product (a batch is at most two sizes).
    private string MultiRowInsertSql(int count, SqlDialect dialect) => insertStatements.GetOrAdd((count, dialect.MigrationFolder), key => MultiRowInsertSql(dialect, key.Rows))!;

    /// <summary>
    /// The insert of <paramref name="rows"/> rows, by the dialect's placeholders (column by column, row by row), returning
    /// each row's id with its hash (which tells the rows apart, whatever order they come back in).
    /// </summary>
    public string MultiRowInsertSql(SqlDialect dialect, int rows)
    {
        var width = Columns.Count + 2;
        return $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(c => c.Name))}, prev_hash, hash){dialect.Output("id, hash")} VALUES " +
            string.Join(", ", Enumerable.Range(0, rows).Select(r =>
                $"({string.Join(", ", Enumerable.Range(r * width, width).Select(dialect.Placeholder))})")) +
            dialect.Returning("id, hash");
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Rows, string Product), string?> insertStatements = new();

    // The keys of the one-row appends (named parameters, AppendSql and AppendInOneTripSql) among the statements made once:
    // every audited request writes one.
    private const int SingleRow = 0;
    private const int OneTrip = -1;

    private static void Add(DbCommand command, SqlDialect dialect, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = dialect.ParameterName(command.Parameters.Count);
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private object? ValueOf(IReadOnlyDictionary<string, object?> values, string column) =>
        values.TryGetValue(column, out var given)
            ? given
            : throw new ArgumentException($"The audit row of {Name} has no value for {column}.", nameof(values));

    /// <summary>Verifies each of <paramref name="tables"/> (<see cref="VerifyAsync(DbConnection, CancellationToken)"/>) on one connection of the service's database.</summary>
    public static async Task<IReadOnlyList<AuditChainReport>> VerifyAllAsync(ServiceDatabase database, IReadOnlyList<AuditTable> tables, CancellationToken ct)
    {
        var reports = new List<AuditChainReport>(tables.Count);
        if (tables.Count > 0)
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            foreach (var table in tables)
            {
                reports.Add(await table.VerifyAsync(connection, ct));
            }
        }

        return reports;
    }

    /// <summary>
    /// Reads the whole chain in order and reports the first row that breaks it (edited, removed, inserted
    /// around the chain) or a head that the last row does not reach (the last rows removed). Rows written
    /// before the chain existed (no hash, at the start) are counted, not checked.
    /// </summary>
    public async Task<AuditChainReport> VerifyAsync(DbConnection connection, CancellationToken ct)
    {
        var expectedPrevious = Genesis;
        long rows = 0, unchained = 0, lastId = 0;
        var sql = $"SELECT id, prev_hash, hash, {string.Join(", ", Columns.Select(c => c.Name))} FROM {Name} ORDER BY id";
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, cancellationToken: ct)))
        {
            var canonical = new string?[Columns.Count];
            while (await reader.ReadAsync(ct))
            {
                var id = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                var previous = reader.IsDBNull(1) ? null : reader.GetString(1);
                var hash = reader.IsDBNull(2) ? null : reader.GetString(2);
                if (hash is null)
                {
                    if (rows == 0)
                    {
                        unchained++;
                        continue;
                    }

                    return Broken(id, "has no hash: it was written around the chain, or its hash was erased");
                }

                if (previous != expectedPrevious)
                {
                    return Broken(id, rows == 0
                        ? "does not start the chain: rows before it were removed"
                        : $"does not follow the row before it (id {lastId}): a row between them was removed or inserted, or that row's hash was changed");
                }

                for (var i = 0; i < Columns.Count; i++)
                {
                    canonical[i] = Canonical(Columns[i].Kind, reader.GetValue(3 + i));
                }

                if (Hash(previous, canonical) != hash)
                {
                    return Broken(id, "does not match its hash: the row was edited");
                }

                expectedPrevious = hash;
                lastId = id;
                rows++;
            }
        }

        var head = await connection.QuerySingleAsync<Head>(new CommandDefinition(
            $"SELECT last_id AS LastId, last_hash AS LastHash FROM {HeadTable} WHERE table_name = @Name", new { Name }, cancellationToken: ct));
        if (head.LastId != lastId || head.LastHash != expectedPrevious)
        {
            return head.LastId > lastId
                ? Broken(head.LastId, $"is missing: the chain ends at id {lastId} but its head, kept apart, is at id {head.LastId}: the last rows were removed")
                : Broken(head.LastId, $"is the head, kept apart, but the chain ends at id {lastId} with another hash: rows were added around the chain or the head was moved");
        }

        return new AuditChainReport(Name, rows, unchained, lastId, expectedPrevious, null, null);

        AuditChainReport Broken(long id, string what) => new(Name, rows, unchained, lastId, expectedPrevious, id, $"row {id} of {Name} {what}");
    }

    /// <summary>
    /// SHA-256, lower-case hex, over the previous hash and a line <c>name=length:value</c> (length in UTF-8 bytes) for
    /// each column with a value, in declared order. Written out by hand rather than as JSON, whose escaping may
    /// change between runtime versions; columns without a value are left out, so that a column added later
    /// (empty in older rows) leaves the older rows' hashes as they were. Columns are never renamed.
    /// </summary>
    public string Hash(string previousHash, IReadOnlyList<string?> canonicalValues) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + Content(canonicalValues))));

    /// <summary>What follows the previous hash in the hashed text: a line break, then the lines of <see cref="Hash"/>.</summary>
    public string Content(IReadOnlyList<string?> canonicalValues)
    {
        var content = new StringBuilder().Append('\n');
        for (var i = 0; i < Columns.Count; i++)
        {
            if (canonicalValues[i] is { } value)
            {
                content.Append(Columns[i].Name).Append('=').Append(Encoding.UTF8.GetByteCount(value)).Append(':').Append(value).Append('\n');
            }
        }

        return content.ToString();
    }

    // What is written is what is hashed: times lose what PostgreSQL would not keep.
    private static object? Stored(AuditValue kind, object? value) => value switch
    {
        null => null,
        _ when kind == AuditValue.Time => Microseconds(DapperTypeHandlers.ToDateTimeOffset(value)),
        _ => value,
    };

    private static string? Canonical(AuditValue kind, object? value)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        return kind switch
        {
            AuditValue.Time => Microseconds(DapperTypeHandlers.ToDateTimeOffset(value)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            AuditValue.Uuid => DapperTypeHandlers.ToGuid(value).ToString("D"),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    private static DateTimeOffset Microseconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private sealed record Head(long LastId, string LastHash);

    private sealed record Appended(long Id, string PrevHash, string Hash);
}

/// <summary>What verifying one audit chain found: intact when <see cref="Problem"/> is null.</summary>
public sealed record AuditChainReport(string Table, long ChainedRows, long RowsBeforeTheChain, long LastId, string LastHash, long? BrokenAt, string? Problem)
{
    public bool Intact => Problem is null;
}
