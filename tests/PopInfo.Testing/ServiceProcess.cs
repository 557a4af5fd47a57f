using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PopInfo.Testing;

/// <summary>A PopInfo service as its own operating-system process (dotnet PopInfo.X.dll), started from the test's output folder.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string assembly;
    private readonly Dictionary<string, string> environment;
    private readonly string log;
    private Process? process;

    private ServiceProcess(string assembly, int port, Dictionary<string, string> environment)
    {
        this.assembly = assembly;
        this.environment = environment;
        Port = port;
        environment["MASSTRANSIT_USAGE_TELEMETRY"] = "false";
        environment["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ";
        log = Path.Combine(Path.GetTempPath(), $"popinfo-e2e-{assembly}-{port}.log");
    }

    /// <summary>The distributed mode's settings of a service on <paramref name="port"/>: PostgreSQL and RabbitMQ.</summary>
    private static Dictionary<string, string> Distributed(int port, string databaseConnectionString, Uri broker) => new()
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["PopInfo__Database__Provider"] = "PostgreSql",
        ["PopInfo__Database__ConnectionString"] = databaseConnectionString,
        ["PopInfo__Database__AllowSuperuser"] = "true",
        ["PopInfo__Bus__Transport"] = "RabbitMq",
        ["PopInfo__Bus__RabbitMqUri"] = broker.ToString(),
    };

    /// <summary>The registry in distributed mode on a free port: PostgreSQL and RabbitMQ.</summary>
    public static ServiceProcess Registry(string databaseConnectionString, Uri broker)
    {
        var port = FreePort();
        return new ServiceProcess("PopInfo.Registry", port, Distributed(port, databaseConnectionString, broker));
    }

    /// <summary>The collection desk in distributed mode on a free port, reading the register at <paramref name="registry"/>.</summary>
    public static ServiceProcess Collection(string databaseConnectionString, Uri broker, Uri registry)
    {
        var port = FreePort();
        var environment = Distributed(port, databaseConnectionString, broker);
        environment["PopInfo__Collection__RegistryUrl"] = registry.ToString();
        return new ServiceProcess("PopInfo.Collection", port, environment);
    }

    /// <summary>
    /// The exchange in distributed mode on a free port, filling gaps from the registry at <paramref name="registry"/> and making
    /// departments' broker users through the management API at <paramref name="management"/> with the bus's (administrator) user;
    /// its administrator key is <see cref="ExchangeHost.AdminKey"/>.
    /// </summary>
    public static ServiceProcess Exchange(string databaseConnectionString, Uri broker, Uri registry, Uri management)
    {
        var port = FreePort();
        var environment = Distributed(port, databaseConnectionString, broker);
        environment["PopInfo__Exchange__RegistryUrl"] = registry.ToString();
        environment["PopInfo__Exchange__RabbitMqManagementUrl"] = management.ToString();
        environment["PopInfo__Exchange__AdminKey"] = ExchangeHost.AdminKey;
        return new ServiceProcess("PopInfo.Exchange", port, environment);
    }

    /// <summary>Adds environment variables (OpenTelemetry's, say) to those the process starts with; before <see cref="StartAsync"/>.</summary>
    public ServiceProcess With(IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        return this;
    }

    /// <summary>
    /// The embedded host with its defaults (SQLite, in-memory bus) on its fixed ports 5100–5107. Its desk signs people
    /// in at its own identity provider (whose first administrator has <see cref="IdentityHost.AdminPassword"/>), as a
    /// city's desk does; its services trust the tests' issuer for their own tokens, as every test host does.
    /// <paramref name="more"/>: further settings (environment variables).
    /// </summary>
    public static ServiceProcess EmbeddedHost(string dataDirectory, IReadOnlyDictionary<string, string>? more = null) =>
        new("PopInfo.Host", 5101, new(more ?? new Dictionary<string, string>())
        {
            ["PopInfo__Database__DataDirectory"] = dataDirectory,
            ["PopInfo__Collection__SignIn__Authority"] = "http://127.0.0.1:5107/",
            ["PopInfo__Analytics__SignIn__Authority"] = "http://127.0.0.1:5107/",
            ["PopInfo__Sharing__SignIn__Authority"] = "http://127.0.0.1:5107/",
            ["PopInfo__Monitoring__SignIn__Authority"] = "http://127.0.0.1:5107/",
            ["PopInfo__Exchange__AdminKey"] = ExchangeHost.AdminKey,
            ["PopInfo__Identity__AdminPassword"] = IdentityHost.AdminPassword,
        });

    /// <summary>
    /// As <see cref="EmbeddedHost(string, IReadOnlyDictionary{string, string})"/>, listening on another loopback address (Linux answers all of
    /// 127.0.0.0/8), so that it runs beside a host on 127.0.0.1's ports 5100–5106. Its modules call each
    /// other at that address too.
    /// </summary>
    public static ServiceProcess EmbeddedHost(string dataDirectory, IPAddress loopback, IReadOnlyDictionary<string, string>? more = null) =>
        new("PopInfo.Host", 5101, new(more ?? new Dictionary<string, string>())
        {
            ["PopInfo__Database__DataDirectory"] = dataDirectory,
            ["PopInfo__Exchange__AdminKey"] = ExchangeHost.AdminKey,
            ["PopInfo__Host__BindAddress"] = loopback.ToString(),
            ["PopInfo__Collection__RegistryUrl"] = $"http://{loopback}:5101/",
            ["PopInfo__Collection__ExchangeUrl"] = $"http://{loopback}:5103/",
            ["PopInfo__Exchange__RegistryUrl"] = $"http://{loopback}:5101/",
            ["PopInfo__Sharing__RegistryUrl"] = $"http://{loopback}:5101/",
            ["PopInfo__Sharing__ExchangeUrl"] = $"http://{loopback}:5103/",
            ["PopInfo__Analytics__RegistryUrl"] = $"http://{loopback}:5101/",
        })
        { Address = loopback };

    /// <summary>A loopback address of its own for this run, 127.77.x.y.</summary>
    public static IPAddress SpareLoopbackAddress() =>
        new([127, 77, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255)]);

    public int Port { get; }

    public IPAddress Address { get; private init; } = IPAddress.Loopback;

    public Uri BaseAddress => new($"http://{Address}:{Port}");

    /// <summary>A client of the register acting as a platform service with both of its scopes.</summary>
    public static HttpClient RegistryClient(Uri registry, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = registry, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestIssuer.Shared.RegistryToken());
        return client;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, assembly + ".dll"))
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Every service trusts the tests' own issuer and gets its own tokens from it.
        foreach (var (key, value) in TestIssuer.Shared.EnvironmentVariables())
        {
            start.Environment[key] = value;
        }

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
                throw new InvalidOperationException($"{assembly} exited with {process.ExitCode}; see {log}");
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

        throw new TimeoutException($"{assembly} did not become ready in 60 s; see {log}");
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
