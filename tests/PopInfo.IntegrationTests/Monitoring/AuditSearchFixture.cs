using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Microsoft.Extensions.Logging;
using PopInfo.IntegrationTests.Collection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Monitoring;
using PopInfo.Monitoring.Audit;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Sharing.People;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// The four sources of the audit search — the registry and the desk (<see cref="DeskFixture"/>), the exchange and the sharing
/// service — on one PostgreSQL database (a schema each) and RabbitMQ, each as its own broker user, and the monitoring service
/// asking them in-process with its own client's tokens. A source can be taken down (<see cref="Down"/>): its connection is refused.
/// </summary>
public sealed class AuditSearchFixture : IAsyncLifetime
{
    public DeskFixture Desk { get; } = new();

    public ExchangeHost Exchange { get; private set; } = null!;

    public WebApplicationFactory<PopInfo.Sharing.SharingEntryPoint> Sharing { get; private set; } = null!;

    public WebApplicationFactory<MonitoringEntryPoint> Monitoring { get; private set; } = null!;

    /// <summary>Every log line of the monitoring, exchange and sharing hosts.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The sources whose connections are refused now.</summary>
    public ConcurrentDictionary<string, bool> Down { get; } = new();

    // The hosts the test's hosts derive from (their settings); disposed last.
    private readonly List<IAsyncDisposable> owned = [];

    public async Task InitializeAsync()
    {
        await Desk.InitializeAsync();
        var exchange = RegistryHost.DistributedSettings(Desk.Database, Desk.Broker.UriOf("exchange"));
        foreach (var (key, value) in Desk.Broker.ExchangeProvisioningSettings())
        {
            exchange[key] = value;
        }

        Exchange = new ExchangeHost(exchange, () => new ToServer(() => Desk.Registry.Server, null, this), s => s.AddSingleton<ILoggerProvider>(Logs));
        var sharingHost = new SharingHost(RegistryHost.DistributedSettings(Desk.Database, Desk.Broker.UriOf("sharing")),
            () => new ToServer(() => Desk.Registry.Server, null, this));
        Sharing = sharingHost.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(Logs)));
        owned.Add(sharingHost);
        var monitoringHost = new MonitoringHost(new Dictionary<string, string?>(), new Dictionary<string, Func<HttpMessageHandler>>());
        owned.Add(monitoringHost);
        Monitoring = monitoringHost.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(Logs);
            foreach (var (service, server) in new (string, Func<TestServer>)[]
                     {
                         ("registry", () => Desk.Registry.Server), ("collection", () => Desk.Desk.Server), ("exchange", () => Exchange.Server), ("sharing", () => Sharing.Server),
                     })
            {
                s.AddHttpClient(AuditSources.ClientName(service)).ConfigurePrimaryHttpMessageHandler(() => new ToServer(server, service, this));
            }
        }));
        _ = Exchange.Server;
        _ = Sharing.Server;
        _ = Monitoring.Server;
        // The sharing service's copy of the (empty) register built before any test: from then on it takes changes from the bus.
        await SharingCaughtUpAsync();
    }

    /// <summary>A client of the monitoring service with a person's token of this role for the monitoring service.</summary>
    public HttpClient MonitoringClient(string role, string subject)
    {
        var client = Monitoring.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            TestIssuer.Shared.Token([], "popinfo-monitor-page", subject: subject, role: role, audiences: [PlatformScopes.Audience(MonitoringModule.Name)]));
        return client;
    }

    /// <summary>Waits until the sharing service's copy of the register holds everything the registry has written.</summary>
    public async Task SharingCaughtUpAsync()
    {
        var last = (long)(await Desk.RegistryClient.GetJsonAsync("/api/v1/changes/status")).Body["lastSequence"]!;
        var store = Sharing.Services.GetRequiredService<PeopleStore>();
        await Eventually.TrueAsync(async () =>
        {
            var state = await store.StateAsync(CancellationToken.None);
            return Sharing.Services.GetRequiredService<PeopleReadiness>().IsReady && state.Low_Watermark >= last && await store.PendingAsync(CancellationToken.None) == 0;
        }, TimeSpan.FromSeconds(60), $"the sharing read model to reach sequence {last}");
    }

    /// <summary>Runs a statement on the database as its owner (the tests' superuser), e.g. to tamper with an audit row.</summary>
    public async Task<long> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Desk.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        await Monitoring.DisposeAsync();
        await Sharing.DisposeAsync();
        foreach (var host in owned)
        {
            await host.DisposeAsync();
        }

        await Exchange.DisposeAsync();
        await Desk.DisposeAsync();
    }

    /// <summary>Sends a request to an in-process host; refused as by a closed port while its service is <see cref="Down"/>.</summary>
    private sealed class ToServer(Func<TestServer> server, string? service, AuditSearchFixture fixture) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            service is not null && fixture.Down.ContainsKey(service)
                ? throw new HttpRequestException($"Connection refused: the {service} service is down.")
                : new HttpMessageInvoker(server().CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
    }
}

/// <summary>Keeps every formatted log message (with its category) of the hosts it is added to.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
