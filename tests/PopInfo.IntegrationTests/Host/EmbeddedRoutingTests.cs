using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Host;

/// <summary>The embedded host in-process: each module's routes by the port the request targets, not by its Host header.</summary>
public sealed class EmbeddedRoutingTests
{
    [Fact]
    public async Task A_Host_header_naming_another_port_reaches_no_route_of_that_module()
    {
        await using var platform = new EmbeddedPlatform();
        using var registry = platform.ClientOf(5101);
        using var desk = platform.ClientOf(5102);

        using var toRegistry = await registry.GetAsync("/api/v1/changes?after=0&limit=1");
        using var trick = new HttpRequestMessage(HttpMethod.Get, "/api/v1/changes?after=0&limit=1");
        trick.Headers.Host = "127.0.0.1:5101";
        using var toDesk = await desk.SendAsync(trick);

        Assert.Equal(200, (int)toRegistry.StatusCode);
        Assert.Equal(404, (int)toDesk.StatusCode);

        // Every module maps /api/v1/service: the port decides whose answers.
        foreach (var (port, name) in new[] { (5101, "registry"), (5102, "collection"), (5103, "exchange"), (5104, "sharing"), (5105, "analytics"), (5106, "monitoring") })
        {
            using var client = platform.ClientOf(port);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/service");
            request.Headers.Host = "127.0.0.1:5101";
            using var response = await client.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(name, (string)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!);
        }
    }
}
