using Dapper;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Monitoring.Samples;

/// <summary>A sample as stored: its metric, subject, time and value.</summary>
public sealed class StoredSample
{
    public string Metric { get; init; } = "";
    public string Subject { get; init; } = "";
    public DateTimeOffset TakenAt { get; init; }
    public double Value { get; init; }

    public SamplePoint Point => new(TakenAt, Value);
}

/// <summary>The monitoring service's samples (<c>samples</c>): written by the collector, read by the evaluator and the API.</summary>
public sealed class SampleStore([FromKeyedServices(MonitoringModule.Name)] ServiceDatabase database)
{
    private const string Columns = "metric AS Metric, subject AS Subject, taken_at AS TakenAt, value AS Value";

    /// <summary>Stores one collection's samples, all taken at <paramref name="takenAt"/>, in one transaction.</summary>
    public async Task AddAsync(DateTimeOffset takenAt, IReadOnlyCollection<Sample> samples, CancellationToken ct)
    {
        if (samples.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // A second instance's collector may take the same second's sample: the first one stays.
        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql(database.Dialect),
            samples.Select(s => new { s.Metric, s.Subject, takenAt, s.Value }), transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>Every sample of <paramref name="metric"/> taken in [<paramref name="from"/>, <paramref name="to"/>], by subject and time.</summary>
    public async Task<IReadOnlyList<StoredSample>> WindowAsync(string metric, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<StoredSample>(new CommandDefinition(
            $"SELECT {Columns} FROM samples WHERE metric = @metric AND taken_at >= @from AND taken_at <= @to ORDER BY subject, taken_at",
            new { metric, from, to }, cancellationToken: ct))).AsList();
    }

    /// <summary>The latest sample of every metric and subject taken since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<StoredSample>> LatestAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<StoredSample>(new CommandDefinition(
            $"""
            SELECT s.metric AS Metric, s.subject AS Subject, s.taken_at AS TakenAt, s.value AS Value
            FROM samples s
            JOIN (SELECT metric, subject, MAX(taken_at) AS taken_at FROM samples WHERE taken_at >= @since GROUP BY metric, subject) l
              ON l.metric = s.metric AND l.subject = s.subject AND l.taken_at = s.taken_at
            ORDER BY s.metric, s.subject
            """,
            new { since }, cancellationToken: ct))).AsList();
    }

    /// <summary>One metric's samples over a time range, optionally of one subject, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredSample>> SeriesAsync(string metric, string? subject, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<StoredSample>(new CommandDefinition(SeriesSql(database.Dialect), new { metric, subject, from, to, limit }, cancellationToken: ct))).AsList();
    }

    // The key is the table's primary key (metric, subject, taken_at).
    internal static string InsertSql(SqlDialect dialect) =>
        dialect.Upsert("samples", "metric, subject, taken_at, value", "(@Metric, @Subject, @takenAt, @Value)", keys: "metric, subject, taken_at");

    internal static string SeriesSql(SqlDialect dialect) =>
        $"""
        SELECT {Columns} FROM samples
        WHERE metric = @metric AND (@subject IS NULL OR subject = @subject) AND taken_at >= @from AND taken_at <= @to
        ORDER BY taken_at, subject{dialect.Limit("@limit")}
        """;

    /// <summary>Deletes the samples taken before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM samples WHERE taken_at < @before", new { before }, cancellationToken: ct));
    }
}
