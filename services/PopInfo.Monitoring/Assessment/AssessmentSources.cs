using System.Globalization;
using System.Net;
using PopInfo.Domain.Monitoring;

namespace PopInfo.Monitoring.Assessment;

/// <summary>A source that did not answer, or answered otherwise than with its facts.</summary>
public sealed class SourceUnavailableException(string source, string kind) : Exception($"The {source} service did not give its facts ({kind}).")
{
    public string SourceService { get; } = source;

    /// <summary>Only the kind of failure (a status code, an exception's type): never a message, which could carry an address.</summary>
    public string Kind { get; } = kind;
}

/// <summary>The collection's clearing facts, asked with the monitoring service's own token (<c>collection.monitor</c>).</summary>
public sealed class CollectionFactsClient(HttpClient http)
{
    public const string Source = "collection";

    public Task<CommunityFactsPage> ReadAsync(DateOnly from, DateOnly to, string? street, CancellationToken ct) =>
        SourceCall.GetAsync<CommunityFactsPage>(http, Source,
            $"api/v1/monitor/clearing?from={FactsRange.Format(from)}&to={FactsRange.Format(to)}" + (street is null ? "" : "&street=" + Uri.EscapeDataString(street)), ct);
}

/// <summary>The exchange's facts per department, asked with the monitoring service's own token (<c>exchange.monitor</c>).</summary>
public sealed class ExchangeFactsClient(HttpClient http)
{
    public const string Source = "exchange";

    public Task<DepartmentFactsPage> ReadAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        SourceCall.GetAsync<DepartmentFactsPage>(http, Source, $"api/v1/monitor/departments?from={FactsRange.Format(from)}&to={FactsRange.Format(to)}", ct);
}

internal static class SourceCall
{
    public static async Task<T> GetAsync<T>(HttpClient http, string source, string path, CancellationToken ct)
    {
        try
        {
            using var answer = await http.GetAsync(path, ct);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                throw new SourceUnavailableException(source, ((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture));
            }

            return await answer.Content.ReadFromJsonAsync<T>(ct) ?? throw new SourceUnavailableException(source, "empty");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            throw new SourceUnavailableException(source, ex is TaskCanceledException ? "timeout" : ex.GetType().Name);
        }
    }
}
