using PopInfo.Testing;

namespace PopInfo.EndToEndTests;

/// <summary>The README's first command: one process, SQLite under a data folder, each service on its own port.</summary>
public sealed class EmbeddedHostTests
{
    private static readonly (string Name, int Port)[] Services =
        [("registry", 5101), ("collection", 5102), ("exchange", 5103), ("sharing", 5104), ("analytics", 5105), ("monitoring", 5106), ("identity", 5107)];

    [Fact]
    public async Task The_embedded_host_answers_each_service_on_its_own_port_like_the_distributed_mode()
    {
        var data = Path.Combine(Path.GetTempPath(), "popinfo-e2e-host-" + Guid.NewGuid().ToString("N")[..8]);
        await using var host = ServiceProcess.EmbeddedHost(data);
        await host.StartAsync();
        // Acting as a platform service (a token of the tests' issuer, which the host trusts by its settings).
        using var http = ServiceProcess.RegistryClient(new Uri("http://127.0.0.1:5101/"));
        using var anonymous = new HttpClient();

        foreach (var (name, port) in Services)
        {
            var (ready, _) = await http.GetJsonAsync($"http://127.0.0.1:{port}/health/ready");
            var (_, info) = await http.GetJsonAsync($"http://127.0.0.1:{port}/api/v1/service");
            Assert.Equal(200, ready);
            Assert.Equal(name, (string)info["name"]!);
        }

        // The register answers only platform services.
        using (var refused = await anonymous.GetAsync("http://127.0.0.1:5101/api/v1/changes?after=0&limit=1000"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The registry's routes answer on the registry's port only.
        var body = People.Resident();
        var (created, person) = await http.PostAsync("http://127.0.0.1:5101/api/v1/persons", body);
        using var elsewhere = await http.GetAsync($"http://127.0.0.1:5102/api/v1/persons/{person["personId"]}");
        Assert.Equal(201, created);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, elsewhere.StatusCode);

        // The change goes through the in-memory bus: the relay catches up.
        var until = DateTime.UtcNow.AddSeconds(30);
        long backlog;
        do
        {
            var (_, status) = await http.GetJsonAsync("http://127.0.0.1:5101/api/v1/changes/status");
            backlog = (long)status["backlog"]!;
        }
        while (backlog > 0 && DateTime.UtcNow < until && await Delay());
        Assert.Equal(0, backlog);

        var start = await http.GetStringAsync("http://127.0.0.1:5100/");
        Assert.All(Services, s => Assert.Contains($"http://127.0.0.1:{s.Port}/swagger", start, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(data, "registry.db")));
    }

    [Fact]
    public async Task The_embedded_host_routes_by_the_port_a_connection_arrived_on_and_not_by_the_Host_header()
    {
        // An address of its own, so the fixed ports 5100–5106 on 127.0.0.1 may be someone else's.
        var address = ServiceProcess.SpareLoopbackAddress();
        var data = Path.Combine(Path.GetTempPath(), "popinfo-e2e-routing-" + Guid.NewGuid().ToString("N")[..8]);
        await using var host = ServiceProcess.EmbeddedHost(data, address);
        await host.StartAsync();

        // The registry's feed on the registry's port.
        Assert.Equal(200, await RawStatusAsync(address, 5101, "/api/v1/changes?after=0&limit=1", $"{address}:5101"));

        // The desk's port, told it is the registry's: no registry route answers, whatever name the Host header gives.
        Assert.Equal(404, await RawStatusAsync(address, 5102, "/api/v1/changes?after=0&limit=1", $"{address}:5101"));
        Assert.Equal(404, await RawStatusAsync(address, 5102, "/api/v1/changes?after=0&limit=1", "127.0.0.1:5101"));
        Assert.Equal(404, await RawStatusAsync(address, 5103, "/api/v1/persons/by-id-number/320205198601010049", "localhost:5101"));
        // A name outside AllowedHosts is refused before routing.
        Assert.Equal(400, await RawStatusAsync(address, 5102, "/api/v1/changes?after=0&limit=1", "x:5101"));

        // Same path in every module: each port answers with its own, whatever the Host header says.
        using var http = new HttpClient();
        foreach (var (name, port) in Services)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{address}:{port}/api/v1/service");
            request.Headers.Host = $"{address}:5101";
            using var response = await http.SendAsync(request);
            var info = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(name, (string)info["name"]!);
        }
    }

    /// <summary>
    /// One HTTP/1.1 request written by hand on a socket, so nothing rewrites its Host header; the answer's status. It
    /// carries a valid registry token (of the tests' issuer, which the host trusts), so a 404 means "no such route
    /// on this port", not a refusal.
    /// </summary>
    private static async Task<int> RawStatusAsync(System.Net.IPAddress address, int port, string path, string hostHeader)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address, port);
        await using var stream = tcp.GetStream();
        var request = System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {hostHeader}\r\nAuthorization: Bearer {TestIssuer.Shared.RegistryToken()}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? "";
        // "HTTP/1.1 404 Not Found"
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
