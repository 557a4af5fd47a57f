namespace PopInfo.Testing;

/// <summary>
/// Scrapes services' <c>/metrics</c> as Prometheus does: every <c>interval</c>, each target with the scrape token
/// (docs/metrics.md), until disposed. Counts what it got; the text itself is read and dropped.
/// </summary>
public sealed class MetricsScraper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long scrapes;
    private long failures;
    private long bytes;

    private MetricsScraper(IReadOnlyList<Uri> targets, string token, TimeSpan interval)
    {
        Targets = targets;
        loop = Task.Run(() => RunAsync(token, interval));
    }

    public IReadOnlyList<Uri> Targets { get; }

    public long Scrapes => Interlocked.Read(ref scrapes);

    public long Failures => Interlocked.Read(ref failures);

    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Starts scraping <paramref name="services"/> (their base addresses) with the run's token (<see cref="TestSecrets.MetricsScrapeToken"/> unless given).</summary>
    public static MetricsScraper Start(IEnumerable<Uri> services, TimeSpan interval, string? token = null) =>
        new([.. services.Select(s => new Uri(s, "/metrics"))], token ?? TestSecrets.MetricsScrapeToken, interval);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task RunAsync(string token, TimeSpan interval)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var timer = new PeriodicTimer(interval);
        do
        {
            await Task.WhenAll(Targets.Select(t => ScrapeAsync(http, t)));
        }
        while (await Tick(timer));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ScrapeAsync(HttpClient http, Uri target)
    {
        try
        {
            using var response = await http.GetAsync(target, stop.Token);
            var body = await response.Content.ReadAsByteArrayAsync(stop.Token);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref scrapes);
            }
            else
            {
                Interlocked.Increment(ref failures);
            }

            Interlocked.Add(ref bytes, body.Length);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            if (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }
}
