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

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
