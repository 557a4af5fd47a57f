namespace PopInfo.Testing;

/// <summary>Service processes for several instances of a service behind the gateway (<see cref="InstancesBehindGateway"/>).</summary>
public sealed partial class ServiceProcess
{
    /// <summary>
    /// A service of the test's output folder (<paramref name="assembly"/>, PopInfo.Registry say) in distributed mode on a
    /// free port — PostgreSQL and RabbitMQ — with <paramref name="more"/> settings (environment variables) on top.
    /// </summary>
    public static ServiceProcess Instance(string assembly, string databaseConnectionString, Uri broker, IReadOnlyDictionary<string, string> more)
    {
        var port = FreePort();
        var environment = Distributed(port, databaseConnectionString, broker);
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        return new ServiceProcess(assembly, port, environment);
    }

    /// <summary>Starts the process and waits until its <c>/health/ready</c> answers 200, <paramref name="within"/> at most.</summary>
    public async Task StartWithinAsync(TimeSpan within)
    {
        Launch();
        await WaitReadyAsync(new Uri(BaseAddress, "/health/ready"), within);
    }

    /// <summary>Starts the process and returns at once.</summary>
    public void Launched() => Launch();

    /// <summary>The gateway of the test's output folder: its routes, clusters and addresses in <paramref name="environment"/>; ready at <paramref name="port"/>.</summary>
    public static ServiceProcess Gateway(int port, IReadOnlyDictionary<string, string> environment) =>
        new("PopInfo.Gateway", port, new Dictionary<string, string>(environment));
}
