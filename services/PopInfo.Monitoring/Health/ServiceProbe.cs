using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PopInfo.Monitoring.Health;

/// <summary>
/// Asks one service how it is, as any load balancer would: <c>/health/live</c>, <c>/health/ready</c> (its checks and their
/// states) and <c>/api/v1/service</c> (its version) — public endpoints that carry no personal data.
/// </summary>
public sealed class ServiceProbe(IHttpClientFactory clients, IOptions<MonitoringOptions> options)
{
    /// <summary>The named HTTP client of a watched service (tests give it their own handler).</summary>
    public static string ClientName(string service) => "monitoring-target-" + service;

    public async Task<ServiceHealth> ProbeAsync(string name, Uri address, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        var http = clients.CreateClient(ClientName(name));
        http.BaseAddress = address;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var live = await http.GetAsync("health/live", timeout.Token);
            using var ready = await http.GetAsync("health/ready", timeout.Token);
            var checks = await ChecksAsync(ready, timeout.Token);
            var version = await VersionAsync(http, timeout.Token);
            return new ServiceHealth(name, address, live.IsSuccessStatusCode, ready.IsSuccessStatusCode, (int)live.StatusCode, (int)ready.StatusCode, version, checks,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            // Down, refused or too slow: said by kind, not by message (a message may carry an address or a path).
            var problem = e is OperationCanceledException && !ct.IsCancellationRequested ? "timeout" : e.GetType().Name;
            return new ServiceHealth(name, address, false, false, null, null, null, [], Stopwatch.GetElapsedTime(started).TotalMilliseconds, problem);
        }
    }

    private static async Task<IReadOnlyList<CheckState>> ChecksAsync(HttpResponseMessage ready, CancellationToken ct)
    {
        if (ready.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return [];
        }

        using var report = await JsonDocument.ParseAsync(await ready.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return report.RootElement.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Array
            ? [.. checks.EnumerateArray().Select(c => new CheckState(c.GetProperty("name").GetString() ?? "", c.GetProperty("status").GetString() ?? ""))]
            : [];
    }

    private static async Task<string?> VersionAsync(HttpClient http, CancellationToken ct)
    {
        using var answer = await http.GetAsync("api/v1/service", ct);
        if (!answer.IsSuccessStatusCode)
        {
            return null;
        }

        using var info = await JsonDocument.ParseAsync(await answer.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return info.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }
}
