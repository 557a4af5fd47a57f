using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Benchmarks;

/// <summary>
/// The sharing service's database work without the service (raw Npgsql, no Dapper, no HTTP): the point query by
/// identity number on <c>sharing.people</c> (the columns PeopleStore reads), then the audit rows through a group commit
/// with the service's rules (AccessAudit: one writer, up to <c>batchRows</c> rows, a request's rows never split, waiting up
/// to <c>batchWait</c> for more once it has some) and the service's hash chain (AuditTable.AppendManyAsync: the advisory
/// lock, the head read once, each row's hash from the one before, multi-row inserts, the head moved once) — into tables of
/// its own, <c>public.bench_raw_access_audit</c> and its head in <c>public.audit_chain_head</c>, so that the service's chain
/// is not touched (and AuditTable.VerifyAsync can check the raw chain as it checks the service's). A caller awaits its rows' commit.
/// </summary>
public sealed class RawSharing : IAsyncDisposable
{
    public const string AuditName = "bench_raw_access_audit";

    private const string PeopleColumns =
        "person_id, version, id_number, name, name_key, birth_date, sex, status, residence_region_code, registered_region_code, household_id, record, sequence";

    // A verification's read, as PeopleStore's: every column but the record.
    private const string VerifyColumns =
        "person_id, version, id_number, name, name_key, birth_date, sex, status, residence_region_code, registered_region_code, household_id, '' AS record, sequence";

    // The service's access_audit columns (AccessAuditStore.Table), in its order: the hash covers them in this order.
    private static readonly AuditTable Chain = new(AuditName,
        new("at", AuditValue.Time), new("request_id", AuditValue.Uuid), new("client_id"), new("end_user"), new("operation"), new("purpose"),
        new("case_reference"), new("person_id", AuditValue.Uuid), new("fields"), new("outcome"), new("as_of_sequence"));

    private readonly NpgsqlDataSource dataSource;
    private readonly int batchRows;
    private readonly TimeSpan batchWait;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;
    private Pending? carried;

    private RawSharing(NpgsqlDataSource dataSource, int batchRows, TimeSpan batchWait)
    {
        this.dataSource = dataSource;
        this.batchRows = batchRows;
        this.batchWait = batchWait;
        writer = Task.Run(WriteBatchesAsync);
    }

    /// <summary>Creates the raw audit table (the columns and indexes of access_audit) and its chain head when absent.</summary>
    public static async Task<RawSharing> StartAsync(string database, int batchRows, TimeSpan batchWait)
    {
        var dataSource = NpgsqlDataSource.Create(database);
        await using (var command = dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS public.{AuditName} (
                id bigserial PRIMARY KEY, at timestamptz NOT NULL, request_id uuid NOT NULL, client_id text NOT NULL, end_user text,
                operation text NOT NULL, purpose text NOT NULL, case_reference text NOT NULL, person_id uuid, fields text,
                outcome text NOT NULL, as_of_sequence bigint, prev_hash text, hash text);
            CREATE INDEX IF NOT EXISTS {AuditName}_person ON public.{AuditName} (person_id, id);
            CREATE INDEX IF NOT EXISTS {AuditName}_client ON public.{AuditName} (client_id, at);
            CREATE TABLE IF NOT EXISTS public.{AuditTable.HeadTable} (table_name text PRIMARY KEY, last_id bigint NOT NULL, last_hash text NOT NULL);
            INSERT INTO public.{AuditTable.HeadTable} VALUES ('{AuditName}', 0, '{AuditTable.Genesis}') ON CONFLICT DO NOTHING;
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new RawSharing(dataSource, batchRows, batchWait);
    }

    /// <summary>One verification or look-up by identity number: the point query, then its audit rows committed.</summary>
    public async Task<int> OneAsync(string idNumber, string operation, string? fields)
    {
        var found = new List<Guid>(1);
        await using (var command = dataSource.CreateCommand($"SELECT {ColumnsOf(operation)} FROM sharing.people WHERE id_number = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = idNumber, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add(Read(reader));
            }
        }

        await AuditAsync(found, 1, operation, fields);
        return found.Count;
    }

    /// <summary>A batch: one <c>= ANY</c> query for every number, then a row per item's person (or not found) in one request to the writer.</summary>
    public async Task<int> BatchAsync(IReadOnlyList<string> idNumbers, string operation, string? fields)
    {
        var found = new List<Guid>(idNumbers.Count);
        await using (var command = dataSource.CreateCommand($"SELECT {ColumnsOf(operation)} FROM sharing.people WHERE id_number = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = idNumbers.Distinct(StringComparer.Ordinal).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add(Read(reader));
            }
        }

        await AuditAsync(found, idNumbers.Count, operation, fields);
        return found.Count;
    }

    /// <summary>The raw chain checked by the service's own verification (AuditTable.VerifyAsync): the same hashes, or where they part.</summary>
    public async Task<string> VerifyChainAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var report = await Chain.VerifyAsync(connection, CancellationToken.None);
        return report.Intact ? $"{report.ChainedRows:N0} rows, intact" : report.Problem!;
    }

    /// <summary>Rows of the raw audit table.</summary>
    public async Task<long> RowsAsync()
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM public.{AuditName}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        await dataSource.DisposeAsync();
    }

    private static string ColumnsOf(string operation) => operation.Contains("verify", StringComparison.Ordinal) ? VerifyColumns : PeopleColumns;

    // Every column read, as the service's row mapping reads them; the person's id is what the audit names.
    private static Guid Read(NpgsqlDataReader reader)
    {
        var values = new object[reader.FieldCount];
        reader.GetValues(values);
        return (Guid)values[0];
    }

    // A row per person found; items that found nobody get a not-found row each (the service's rows for them).
    private async Task AuditAsync(List<Guid> found, int items, string operation, string? fields)
    {
        var at = DateTimeOffset.UtcNow;
        var request = Guid.NewGuid();
        var rows = new List<object?[]>(Math.Max(found.Count, items));
        rows.AddRange(found.Select(id => Row(at, request, operation, id, fields, operation == "verify" ? "match" : "returned")));
        for (var i = found.Count; i < items; i++)
        {
            rows.Add(Row(at, request, operation, null, null, "not-found"));
        }

        var pending = new Pending(rows);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The raw audit writer has stopped.");
        }

        await pending.Completion.Task;
    }

    private static object?[] Row(DateTimeOffset at, Guid request, string operation, Guid? person, string? fields, string outcome) =>
        [at, request, "dept-bench", "bench.clerk", operation, "social-insurance", "BENCH-RAW", person, fields, outcome, 1L];

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Pending>();
        while (carried is not null || await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = await TakeBatchAsync(batch);
            try
            {
                await CommitAsync(rows);
                batch.ForEach(p => p.Completion.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Completion.TrySetException(e));
            }
        }
    }

    // AccessAudit.TakeBatchAsync's rules.
    private async Task<List<object?[]>> TakeBatchAsync(List<Pending> batch)
    {
        var rows = new List<object?[]>();
        var deadline = Stopwatch.GetTimestamp() + (long)(batchWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            while (carried is not null || queue.Reader.TryRead(out carried))
            {
                if (rows.Count > 0 && rows.Count + carried.Rows.Count > batchRows)
                {
                    return rows;
                }

                batch.Add(carried);
                rows.AddRange(carried.Rows);
                carried = null;
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (rows.Count >= batchRows || left <= TimeSpan.Zero)
            {
                return rows;
            }

            using var wait = new CancellationTokenSource(left);
            try
            {
                if (!await queue.Reader.WaitToReadAsync(wait.Token))
                {
                    return rows;
                }
            }
            catch (OperationCanceledException)
            {
                return rows;
            }
        }
    }

    // AuditTable.AppendManyAsync's work in one transaction: lock, head, multi-row inserts with the chained hashes, head moved.
    private async Task CommitAsync(List<object?[]> rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = "audit-chain:" + AuditName });
            await lockCommand.ExecuteNonQueryAsync();
        }

        string head;
        await using (var headCommand = new NpgsqlCommand($"SELECT last_hash FROM public.{AuditTable.HeadTable} WHERE table_name = '{AuditName}'", connection, transaction))
        {
            head = (string)(await headCommand.ExecuteScalarAsync())!;
        }

        var previous = head;
        long lastId = 0;
        var columns = Chain.Columns.Count;
        foreach (var chunk in rows.Chunk(Chain.RowsPerInsert))
        {
            var sql = new System.Text.StringBuilder($"INSERT INTO public.{AuditName} ({string.Join(", ", Chain.Columns.Select(c => c.Name))}, prev_hash, hash) VALUES ");
            await using var insert = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            var canonical = new string?[columns];
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var i = 0; i < columns; i++)
                {
                    var value = Stored(chunk[r][i]);
                    insert.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = TypeOf(i) });
                    canonical[i] = Canonical(value);
                    sql.Append('$').Append(insert.Parameters.Count).Append(", ");
                }

                var hash = Chain.Hash(previous, canonical);
                insert.Parameters.Add(new NpgsqlParameter { Value = previous, NpgsqlDbType = NpgsqlDbType.Text });
                insert.Parameters.Add(new NpgsqlParameter { Value = hash, NpgsqlDbType = NpgsqlDbType.Text });
                sql.Append('$').Append(insert.Parameters.Count - 1).Append(", $").Append(insert.Parameters.Count).Append(')');
                previous = hash;
            }

            insert.CommandText = sql.Append(" RETURNING id").ToString();
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lastId = reader.GetInt64(0);
            }
        }

        await using (var move = new NpgsqlCommand(
            $"UPDATE public.{AuditTable.HeadTable} SET last_id = $1, last_hash = $2 WHERE table_name = '{AuditName}' AND last_hash = $3", connection, transaction))
        {
            move.Parameters.Add(new NpgsqlParameter { Value = lastId });
            move.Parameters.Add(new NpgsqlParameter { Value = previous });
            move.Parameters.Add(new NpgsqlParameter { Value = head });
            if (await move.ExecuteNonQueryAsync() != 1)
            {
                throw new InvalidOperationException("The head of the raw audit chain moved while it was locked.");
            }
        }

        await transaction.CommitAsync();
    }

    private static NpgsqlDbType TypeOf(int column) => column switch
    {
        0 => NpgsqlDbType.TimestampTz,
        1 or 7 => NpgsqlDbType.Uuid,
        10 => NpgsqlDbType.Bigint,
        _ => NpgsqlDbType.Text,
    };

    // AuditTable's Stored and Canonical: times to whole microseconds, UTC.
    private static object? Stored(object? value) => value is DateTimeOffset time ? new DateTimeOffset(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero) : value;

    private static string? Canonical(object? value) => value switch
    {
        null => null,
        DateTimeOffset time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        Guid id => id.ToString("D"),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private sealed record Pending(IReadOnlyList<object?[]> Rows)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
