using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PopInfo.Testing;

/// <summary>
/// A PopInfo service as its own operating-system process (<c>dotnet PopInfo.X.dll</c>), for the end-to-end tests (the
/// factories below: a service of the test's output folder on a free port, <see cref="StartAsync"/> waits until it is
/// ready) and the benchmarks (<see cref="Start"/>: any service build, readiness asked for separately, its memory and
/// processor time read). <c>dotnet app.dll</c> runs the application in the <c>dotnet</c> process itself, so the process id
/// is the service's and /proc/&lt;pid&gt;/status is its memory. Its output goes to a log file of its own.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly string dll;
    private readonly string workingDirectory;
    private readonly Dictionary<string, string> environment;
    private Process? process;
    private StreamWriter? log;
    private int disposed;

    private ServiceProcess(string assembly, int port, Dictionary<string, string> environment, string? dll = null)
    {
        // The test's output folder holds several services' appsettings.json: a service of it runs in the temporary folder,
        // so that none is its content root; a service build of its own runs in its folder, as deploy/local/up.sh runs it.
        this.dll = dll ?? Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        workingDirectory = dll is null ? Path.GetTempPath() : Path.GetDirectoryName(dll)!;
        this.environment = environment;
        Name = assembly;
        Port = port;
        environment["MASSTRANSIT_USAGE_TELEMETRY"] = "false";
        environment["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ";
        LogPath = Path.Combine(Path.GetTempPath(), $"popinfo-{assembly}-{(port == 0 ? "" : $"{port}-")}{DateTime.UtcNow:HHmmss}-{Guid.NewGuid().ToString("N")[..4]}.log");
    }

    /// <summary>What the process is called in messages and its log's name.</summary>
    public string Name { get; }

    /// <summary>The file its standard output and error are written to.</summary>
    public string LogPath { get; }

    public int Pid => process?.Id ?? throw new InvalidOperationException($"{Name} has not been started.");

    public bool HasExited => process?.HasExited ?? true;

    /// <summary>
    /// Starts <paramref name="dll"/> (a service build anywhere, working directory its folder, as deploy/local/up.sh starts
    /// it) with <paramref name="environment"/> on top of the tests' issuer's settings, and returns at once: wait with
    /// <see cref="WaitReadyAsync"/> at the address its environment names (<c>ASPNETCORE_URLS</c>).
    /// </summary>
    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var service = new ServiceProcess(name, port: 0, new Dictionary<string, string>(environment), dll);
        service.Launch();
        return service;
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

    /// <summary>Starts the process and waits (60 s at most) until its <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync()
    {
        Launch();
        await WaitReadyAsync(new Uri(BaseAddress, "/health/ready"), TimeSpan.FromSeconds(60));
    }

    /// <summary>Polls the readiness address until it answers 200 (the service has migrated its database and reached its broker).</summary>
    public async Task WaitReadyAsync(Uri ready, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process?.ExitCode}; see {LogPath}");
            }

            try
            {
                using var response = await http.GetAsync(ready);
                if (response.IsSuccessStatusCode)
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

        throw new TimeoutException($"{Name} was not ready at {ready} within {timeout.TotalSeconds:0} s; see {LogPath}");
    }

    /// <summary>Its memory now, from /proc.</summary>
    public ProcessMemory Memory() => ProcessMemory.Read(Pid);

    /// <summary>User plus system processor time the process has used so far.</summary>
    public TimeSpan ProcessorTime()
    {
        var running = process ?? throw new InvalidOperationException($"{Name} has not been started.");
        running.Refresh();
        return running.TotalProcessorTime;
    }

    private void Launch()
    {
        var start = new ProcessStartInfo("dotnet", dll)
        {
            WorkingDirectory = workingDirectory,
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

        process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var writer = log = File.AppendText(LogPath);
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            if (writer.BaseStream.CanWrite)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
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
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await KillAsync();
        process?.Dispose();
        if (log is { } writer)
        {
            lock (writer)
            {
                writer.Dispose();
            }
        }
    }

    /// <summary>A loopback port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something listens on the loopback <paramref name="port"/>.</summary>
    public static bool PortInUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
