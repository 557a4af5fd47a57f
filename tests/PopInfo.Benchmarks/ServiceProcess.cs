using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PopInfo.Benchmarks;

/// <summary>
/// A PopInfo service as its own operating-system process (<c>dotnet PopInfo.X.dll</c>, working directory its
/// output folder, as deploy/local/up.sh starts it). <c>dotnet app.dll</c> runs the application in the
/// <c>dotnet</c> process itself, so the process id is the service's and /proc/&lt;pid&gt;/status is its memory.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private int disposed;

    private ServiceProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var logPath = Path.Combine(Path.GetTempPath(), $"popinfo-bench-{name}-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid().ToString("N")[..4]}.log");
        var start = new ProcessStartInfo("dotnet", dll)
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // Every service trusts the tests' issuer (PopInfo.Testing.TestIssuer) and gets its own tokens from it.
        foreach (var (key, value) in PopInfo.Testing.TestIssuer.Shared.EnvironmentVariables())
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var writer = File.AppendText(logPath);
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, writer, logPath);
    }

    /// <summary>Polls the readiness address until it answers 200 (the service has migrated its database and reached its broker).</summary>
    public async Task WaitReadyAsync(Uri ready, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode}; see {LogPath}");
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

    public ProcessMemory Memory() => ProcessMemory.Read(Pid);

    /// <summary>User plus system processor time the process has used so far.</summary>
    public TimeSpan ProcessorTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
}

/// <summary>Memory of a process from /proc/&lt;pid&gt;/status, in kB as the kernel reports it.</summary>
/// <remarks>PSS (from smaps_rollup) shares each page among the processes mapping it: the six services map the same framework files, so their PSS adds up to what they cost the machine.</remarks>
public readonly record struct ProcessMemory(long RssKb, long HwmKb, long AnonKb, long FileKb, long ShmemKb, long PssKb, int Threads)
{
    public static ProcessMemory Read(int pid)
    {
        long Value(string[] lines, string key) =>
            lines.Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l[(key.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
                .FirstOrDefault();

        var status = File.ReadAllLines($"/proc/{pid}/status");
        var rollup = File.Exists($"/proc/{pid}/smaps_rollup") ? File.ReadAllLines($"/proc/{pid}/smaps_rollup") : [];
        return new ProcessMemory(Value(status, "VmRSS"), Value(status, "VmHWM"), Value(status, "RssAnon"), Value(status, "RssFile"),
            Value(status, "RssShmem"), Value(rollup, "Pss"), (int)Value(status, "Threads"));
    }

    public static string Mb(long kb) => $"{kb / 1024.0:0.0}";

    public override string ToString() =>
        $"VmRSS {Mb(RssKb)} MB (anon {Mb(AnonKb)}, file {Mb(FileKb)}, shmem {Mb(ShmemKb)}), VmHWM {Mb(HwmKb)} MB, PSS {Mb(PssKb)} MB, {Threads} threads";
}
