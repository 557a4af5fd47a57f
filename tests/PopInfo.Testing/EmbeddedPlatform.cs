using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PopInfo.Contracts.Registry;
using PopInfo.Exchange.Projection;
using PopInfo.Host;

namespace PopInfo.Testing;

/// <summary>
/// The embedded host in-process: all six services, SQLite files in a fresh folder, the in-memory bus.
/// Requests reach a service by the port in their address: the host routes by the connection's local port,
/// which <see cref="TestLocalPort"/> supplies here (the test server has no sockets). The desk's, the
/// exchange's and the analytics service's reads of the register go to the same in-process server.
/// </summary>
/// <param name="generatedSecrets">True: the exchange's admin key and the master key of stored secrets are not set, so the host generates them into files.</param>
/// <param name="dataDirectory">The folder of the SQLite files, when the test keeps it (a restart on the same files); else a fresh one, removed at the end.</param>
/// <param name="settings">More settings for this host (e.g. a session re-check at every request).</param>
public sealed class EmbeddedPlatform(bool generatedSecrets = false, string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<HostEntryPoint>
{
    public string DataDirectory { get; } = dataDirectory ?? Path.Combine(Path.GetTempPath(), "popinfo-embedded-" + Guid.NewGuid().ToString("N")[..12]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PopInfo:Database:DataDirectory", DataDirectory);
        foreach (var (key, value) in TestIssuer.Shared.Settings())
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (!generatedSecrets)
        {
            builder.UseSetting("PopInfo:Exchange:AdminKey", ExchangeHost.AdminKey);
        }
        else
        {
            builder.UseSetting(PopInfo.ServiceDefaults.Security.MasterKey.Setting, "");
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, TestLocalPort.StartupFilter>();
            services.AddHttpClient<RegistryClient>().ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(this));
            services.AddHttpClient<RegistryFeed>().ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(this));
            // The analytics service's snapshot, feed and population counts (its reconciliation) too.
            services.AddHttpClient<PopInfo.Analytics.Projection.RegistryReader>().ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(this));
        });
    }

    /// <summary>
    /// Starts the embedded host on the SQLite files of <paramref name="dataDirectory"/> with these settings (and the
    /// tests' defaults), which must refuse: why it did (<see cref="StartRefusal"/>).
    /// </summary>
    public static Task<Exception> StartFailureAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var all = TestIssuer.Shared.Settings();
        all["PopInfo:Database:DataDirectory"] = dataDirectory;
        all["PopInfo:Exchange:AdminKey"] = ExchangeHost.AdminKey;
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return StartRefusal.OfAsync(typeof(HostEntryPoint).Assembly, all);
    }

    private TestServer? started;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        started = host.GetTestServer();
        return host;
    }

    /// <summary>
    /// Loopback calls between modules, into this same in-process server. Not <c>Server.CreateHandler()</c>: a
    /// background service calling during start-up would make the factory build a second host, and so on.
    /// Until the host has started, a call fails as a closed port would, and the caller retries.
    /// </summary>
    private sealed class StartedServerHandler(EmbeddedPlatform platform) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (platform.started is not { } server)
            {
                throw new HttpRequestException("The embedded host is still starting.");
            }

            TestLocalPort.Stamp(request);
            return new HttpMessageInvoker(server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// A client of one service (by its port), keeping cookies as a browser does. The registry's (5101) carries a
    /// platform service's token with both of the register's scopes, as only services reach the register.
    /// </summary>
    public HttpClient ClientOf(int port)
    {
        var client = CreateDefaultClient(new Uri($"http://127.0.0.1:{port}"), new CookieContainerHandler(), new TestLocalPort.Handler());
        if (port == Registry.RegistryModule.Port)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestIssuer.Shared.RegistryToken());
        }

        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (dataDirectory is null && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
