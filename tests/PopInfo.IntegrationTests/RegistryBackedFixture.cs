using System.Text.Json.Nodes;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests;

/// <summary>
/// The registry with one service that keeps a copy of the register (analytics, sharing), on one PostgreSQL database (a
/// schema each) and a RabbitMQ virtual host of their own, each as its own broker user: the distributed mode in one test
/// process. The service reads the registry host through <see cref="RegistryHandler"/>; it can be stopped and started
/// again on the same store.
/// </summary>
public abstract class RegistryBackedFixture : IAsyncLifetime
{
    public string Database { get; private set; } = "";
    public Uri VirtualHost { get; private set; } = null!;
    public ServiceBrokerUsers Broker { get; private set; } = null!;
    public RegistryHost Registry { get; private set; } = null!;
    public HttpClient RegistryClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync();
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        Broker = await ServiceBrokerUsers.CreateAsync(VirtualHost);
        Registry = new RegistryHost(RegistryHost.DistributedSettings(Database, Broker.UriOf("registry")));
        RegistryClient = Registry.CreateClient();
    }

    /// <summary>The registry's last change-log sequence.</summary>
    public async Task<long> RegistryLastAsync() => (long)(await RegistryClient.GetJsonAsync("/api/v1/changes/status")).Body["lastSequence"]!;

    /// <summary>A command on a person at their current version; returns its change-log sequence.</summary>
    public async Task<long> CommandAsync(Guid person, string command, object body)
    {
        var version = (int)(await RegistryClient.GetJsonAsync($"/api/v1/persons/{person}")).Body["version"]!;
        var merged = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!.AsObject();
        merged["commandId"] = Guid.NewGuid();
        merged["expectedVersion"] = version;
        var (status, answer) = await RegistryClient.PostAsync($"/api/v1/persons/{person}/{command}", merged);
        return status == 200 ? (long)answer["sequence"]! : throw new InvalidOperationException($"{command}: {status} {answer}");
    }

    /// <summary>The service's settings in distributed mode: this fixture's database, and its broker user.</summary>
    protected Dictionary<string, string?> ServiceSettings(string service, IReadOnlyDictionary<string, string?>? more)
    {
        var all = RegistryHost.DistributedSettings(Database, Broker.UriOf(service));
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>A handler that sends the service's reads of the registry to the registry host in this process.</summary>
    protected HttpMessageHandler RegistryHandler() => new ToRegistry(this);

    /// <summary>Stops the service under test (before the registry and the database go).</summary>
    protected abstract Task StopServiceAsync();

    public async Task DisposeAsync()
    {
        await StopServiceAsync();
        RegistryClient.Dispose();
        await Registry.DisposeAsync();
        await Broker.DisposeAsync();
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
        await TestInfrastructure.DropDatabaseAsync(Database);
    }

    private sealed class ToRegistry(RegistryBackedFixture fixture) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(fixture.Registry.Server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
    }
}
