using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.ServiceDefaults;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Telemetry;

/// <summary>Scraping <c>/metrics</c> as Prometheus does, and reading the names of the samples it answers.</summary>
public static class Scrape
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, MetricsEndpoint.Path);
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    public static AuthenticationHeaderValue Credential => new("Bearer", TestSecrets.MetricsScrapeToken);

    /// <summary>The text of a scrape with the tests' credential; fails on any other answer than 200.</summary>
    public static async Task<string> TextAsync(HttpClient client)
    {
        using var response = await SendAsync(client, Credential);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return text;
    }

    /// <summary>The names of the samples (<c>name{labels} value</c> or <c>name value</c>), comments left out.</summary>
    public static IReadOnlySet<string> SampleNames(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// The tests that read a host's instruments run alone, after the parallel ones: several hosts in one test process
/// share the instruments' names (each host's own meter "Microsoft.AspNetCore.Hosting"), and OpenTelemetry ends the
/// stream of such a shared instrument when any one of those hosts is disposed — one host per process in production.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

/// <summary>
/// <c>/metrics</c> of the embedded host: refused without the scrape credential, with a wrong one and with a platform
/// token; Prometheus' text format with it; one endpoint for the whole process; no personal data in a label.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    private const string IdNumber = "320205198601010048";

    [Fact]
    public async Task Metrics_answer_the_scrape_credential_only_in_the_prometheus_text_format_without_personal_data()
    {
        await using var platform = new EmbeddedPlatform();
        using var client = platform.CreateDefaultClient(new Uri("http://127.0.0.1:5100"), new TestLocalPort.Handler());

        foreach (var wrong in new AuthenticationHeaderValue?[]
                 {
                     null,
                     new("Bearer", "not-the-scrape-token-0123456789abcdef"),
                     new("Bearer", TestSecrets.MetricsScrapeToken + "x"),
                     new("Bearer", TestIssuer.Shared.RegistryToken()),
                     new("Basic", TestSecrets.MetricsScrapeToken),
                 })
        {
            using var refused = await Scrape.SendAsync(client, wrong);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal(401, (int)refused.StatusCode);
            Assert.Equal("metrics.credential", (string?)problem["rule"]);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        // A look-up by identity number: the number is in the request's path, never in a metric.
        using (var registry = platform.ClientOf(5101))
        using (var lookUp = await registry.GetAsync($"/api/v1/persons/by-id-number/{IdNumber}"))
        {
            Assert.Equal(404, (int)lookUp.StatusCode);
        }

        using var response = await Scrape.SendAsync(client, Scrape.Credential);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/api/v1/persons/by-id-number/{idNumber}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("by-id-number/3", text, StringComparison.Ordinal);

        // One /metrics for the whole process, on every port (the host maps its default endpoints once).
        var endpoints = platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Count(e => e.RoutePattern.RawText == MetricsEndpoint.Path);
        Assert.Equal(1, endpoints);
        using var sharing = platform.CreateDefaultClient(new Uri("http://127.0.0.1:5104"), new TestLocalPort.Handler());
        Assert.Contains("http_server_request_duration_seconds_bucket", await Scrape.TextAsync(sharing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_scrape_token_metrics_refuse_every_scrape()
    {
        await using var platform = new EmbeddedPlatform(settings: new Dictionary<string, string?> { [MetricsEndpoint.ScrapeTokenKey] = "" });
        using var client = platform.CreateDefaultClient(new Uri("http://127.0.0.1:5100"), new TestLocalPort.Handler());
        foreach (var attempt in new AuthenticationHeaderValue?[] { null, new("Bearer", ""), new("Bearer", TestSecrets.MetricsScrapeToken) })
        {
            using var refused = await Scrape.SendAsync(client, attempt);
            Assert.Equal(401, (int)refused.StatusCode);
        }
    }

    [Fact]
    public async Task A_short_scrape_token_stops_the_start()
    {
        var error = await RegistryHost.StartFailureAsync(new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "Sqlite",
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-metrics-" + Guid.NewGuid().ToString("N")[..12]),
            [MetricsEndpoint.ScrapeTokenKey] = "short-token",
        });
        Assert.Contains(MetricsEndpoint.ScrapeTokenKey, StartRefusal.Messages(error), StringComparison.Ordinal);
    }
}
