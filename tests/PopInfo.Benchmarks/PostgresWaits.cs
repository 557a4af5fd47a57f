using System.Globalization;
using System.Text;
using Npgsql;

namespace PopInfo.Benchmarks;

/// <summary>
/// Samples pg_stat_activity every 50 ms for the registry's connections (application_name popinfo-registry)
/// in the run's database: what its backends were doing (running, waiting for a lock, for the WAL flush…,
/// idle in a transaction = waiting for the client) — where the time of a command goes on the server side.
/// </summary>
public sealed class PostgresWaits : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, int> counts = [];
    private readonly Task sampler;
    private int samples;

    public PostgresWaits(string server, string database, string applicationName)
    {
        sampler = Task.Run(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(server);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    """
                    SELECT state, coalesce(wait_event_type || ':' || wait_event, 'on CPU') FROM pg_stat_activity
                    WHERE datname = $1 AND application_name = $2 AND state <> 'idle'
                    """, connection);
                command.Parameters.AddWithValue(database);
                command.Parameters.AddWithValue(applicationName);
                while (!stop.IsCancellationRequested)
                {
                    await using (var reader = await command.ExecuteReaderAsync())
                    {
                        while (await reader.ReadAsync())
                        {
                            var key = $"{reader.GetString(0)} / {reader.GetString(1)}";
                            counts[key] = counts.GetValueOrDefault(key) + 1;
                        }
                    }

                    samples++;
                    await Task.Delay(50);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
            {
                counts["sampler failed: " + ex.Message] = 1;
            }
        });
    }

    /// <summary>Average number of the registry's backends in each state per sample (0.5 = half the time one backend).</summary>
    public async Task<string> ReportAsync()
    {
        await stop.CancelAsync();
        await sampler;
        var text = new StringBuilder($"  PostgreSQL, registry backends not idle (mean number per sample, {samples} samples every 50 ms):");
        foreach (var (key, count) in counts.OrderByDescending(c => c.Value).Take(8))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}    {(double)count / Math.Max(1, samples),6:0.00}  {key}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampler;
        stop.Dispose();
    }
}
