using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PopInfo.EndToEndTests;

/// <summary>The registry as its own operating-system process (dotnet PopInfo.Registry.dll), as in distributed mode.</summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly string log;
    private Process? process;

    public RegistryProcess(string databaseConnectionString, Uri broker)
    {
        Port = FreePort();
        log = Path.Combine(Path.GetTempPath(), $"popinfo-e2e-registry-{Port}.log");
        environment = new()
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["PopInfo__Database__Provider"] = "PostgreSql",
            ["PopInfo__Database__ConnectionString"] = databaseConnectionString,
            ["PopInfo__Bus__Transport"] = "RabbitMq",
            ["PopInfo__Bus__RabbitMqUri"] = broker.ToString(),
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "PopInfo.Registry.dll"))
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start)!;
        var writer = File.AppendText(log);
        process.OutputDataReceived += (_, e) => { lock (writer) { writer.WriteLine(e.Data); writer.Flush(); } };
        process.ErrorDataReceived += (_, e) => { lock (writer) { writer.WriteLine(e.Data); writer.Flush(); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The registry exited with {process.ExitCode}; see {log}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The registry did not become ready in 60 s; see {log}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
