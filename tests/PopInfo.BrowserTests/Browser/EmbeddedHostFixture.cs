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

    public async Task InitializeAsync()
    {
        var busy = Ports.Where(Answers).ToList();
        if (busy.Count > 0)
        {
            throw new InvalidOperationException(
                $"Port(s) {string.Join(", ", busy)} on 127.0.0.1 are already in use: stop the embedded host that runs there " +
                "(dotnet run --project services/PopInfo.Host, or another test run) — the browser tests start their own.");
        }

        host = ServiceProcess.EmbeddedHost(dataDirectory);
        await host.StartAsync();
    }

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
