using System.Net;
using System.Net.Sockets;
using PopInfo.Testing;

namespace PopInfo.BrowserTests.Browser;

/// <summary>
/// The embedded host (services/PopInfo.Host) as its own process, on a fresh SQLite folder, for the pages under test.
/// It listens on the fixed ports 5100–5107, so it refuses to start when any of them is taken (another host, or the
/// end-to-end tests): the pages would otherwise come from that process.
/// </summary>
public sealed class EmbeddedHostFixture : IAsyncLifetime
{
    private static readonly int[] Ports = [5100, 5101, 5102, 5103, 5104, 5105, 5106, 5107];

    private readonly string dataDirectory =
        Path.Combine(Path.GetTempPath(), "popinfo-browser-host-" + Guid.NewGuid().ToString("N")[..8]);

    private ServiceProcess? host;

    /// <summary>The start page: every service, its API documents and its health.</summary>
    public Uri StartPage { get; } = new("http://127.0.0.1:5100/");

    /// <summary>The collection service (community collection platform), e.g. <c>new Uri(host.Collection, "desk")</c>.</summary>
    public Uri Collection { get; } = new("http://127.0.0.1:5102/");

    /// <summary>The host's SQLite folder: one <c>{service}.db</c> per service (a test may hold one busy to play a service away).</summary>
    public string DataDirectory => dataDirectory;

    public async Task InitializeAsync()
    {
        var busy = Ports.Where(Answers).ToList();
        if (busy.Count > 0)
        {
            throw new InvalidOperationException(
                $"Port(s) {string.Join(", ", busy)} on 127.0.0.1 are already in use: stop the embedded host that runs there " +
                "(dotnet run --project services/PopInfo.Host, or another test run) — the browser tests start their own.");
        }

        host = ServiceProcess.EmbeddedHost(dataDirectory, MonitoringSettings());
        await host.StartAsync();
    }

    /// <summary>
    /// The monitoring service samples every second (the monitoring dashboard's tests wait for its alerts) and watches, beside
    /// the platform's own services, one more at a closed port — <see cref="Unreachable"/>, never ready: the source of a
    /// firing <c>service-not-ready</c> once a test shortens that rule's duration.
    /// </summary>
    private static Dictionary<string, string> MonitoringSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["PopInfo__Monitoring__SampleInterval"] = "00:00:01",
            // Every browser test signs in from 127.0.0.1: the provider's limit per address (30 in 15 minutes) is not
            // what they test, and the suite's sign-ins (a lock-out test alone makes six) come near it.
            ["PopInfo__RateLimits__SignInAddress__PermitLimit"] = "1000",
        };
        foreach (var (name, port) in new[] { ("registry", 5101), ("collection", 5102), ("exchange", 5103), ("sharing", 5104), ("analytics", 5105), ("identity", 5107) })
        {
            settings[$"PopInfo__Monitoring__Services__{name}"] = $"http://127.0.0.1:{port}/";
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        settings[$"PopInfo__Monitoring__Services__{Unreachable}"] = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
        return settings;
    }

    /// <summary>The watched service that never answers (a port nothing listens on).</summary>
    public const string Unreachable = "archive";

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Never created (the host did not start), or already gone: a temporary folder either way.
        }
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
