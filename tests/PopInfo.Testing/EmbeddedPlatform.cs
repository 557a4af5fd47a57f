using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PopInfo.Contracts.Registry;
using PopInfo.Exchange.Projection;
using PopInfo.Host;

namespace PopInfo.Testing;

/// <summary>
/// The embedded host in-process: all six services, SQLite files in a fresh folder, the in-memory bus.
/// Requests reach a service by the port in their address (the host routes by port, as when it listens);
/// the desk's reads of the register go to the same in-process server.
/// </summary>
/// <param name="generatedSecrets">True: the desk's first password and the exchange's admin key are not set, so the host generates them into files.</param>
public sealed class EmbeddedPlatform(bool generatedSecrets = false) : WebApplicationFactory<HostEntryPoint>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "popinfo-embedded-" + Guid.NewGuid().ToString("N")[..12]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PopInfo:Database:DataDirectory", DataDirectory);
        if (!generatedSecrets)
        {
            builder.UseSetting("PopInfo:Collection:AdminPassword", CollectionHost.AdminPassword);
            builder.UseSetting("PopInfo:Exchange:AdminKey", ExchangeHost.AdminKey);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient<RegistryClient>().ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(this));
            services.AddHttpClient<RegistryFeed>().ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(this));
        });
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
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            platform.started is { } server
                ? new HttpMessageInvoker(server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken)
                : throw new HttpRequestException("The embedded host is still starting.");
    }

    /// <summary>A client of one service (by its port), keeping cookies as a browser does.</summary>
    public HttpClient ClientOf(int port) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}"), HandleCookies = true, AllowAutoRedirect = false });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
