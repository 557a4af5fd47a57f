using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Sharing.People;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The registry and the sharing service on one PostgreSQL database (a schema each) and a RabbitMQ virtual host of their
/// own, each as its own broker user: the distributed mode in one test process. The sharing host can be stopped and started
/// again on the same store; its read model reads the registry host through the test's process.
/// </summary>
public sealed class SharingFixture : IAsyncLifetime
{
    public string Database { get; private set; } = "";
    public Uri VirtualHost { get; private set; } = null!;
    public ServiceBrokerUsers Broker { get; private set; } = null!;
    public RegistryHost Registry { get; private set; } = null!;
    public HttpClient RegistryClient { get; private set; } = null!;
    public SharingHost? Sharing { get; private set; }

    /// <summary>Two communities of one street, and one of another district.</summary>
    public IReadOnlyList<string> Communities { get; } =
    [
        .. RegionCatalogue.Wuxi.Communities.Where(c => c.ParentCode == RegionCatalogue.Wuxi.Streets[2].Code).Take(2).Select(c => c.Code),
        RegionCatalogue.Wuxi.Communities[^1].Code,
    ];

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync();
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        Broker = await ServiceBrokerUsers.CreateAsync(VirtualHost);
        Registry = new RegistryHost(RegistryHost.DistributedSettings(Database, Broker.UriOf("registry")));
        RegistryClient = Registry.CreateClient();
    }

    /// <summary>
    /// Starts the sharing host on this fixture's store; given <paramref name="kestrelPort"/>, on a real socket at that port
    /// (for clients outside the process), otherwise on the in-process test server.
    /// </summary>
    public SharingHost StartSharing(IReadOnlyDictionary<string, string?>? settings = null, int? kestrelPort = null)
    {
        var all = RegistryHost.DistributedSettings(Database, Broker.UriOf("sharing"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        Sharing = new SharingHost(all, () => new RegistryHandler(this));
        if (kestrelPort is { } port)
        {
            Sharing.UseKestrel(port);
            Sharing.StartServer();
        }
        else
        {
            _ = Sharing.Server;
        }

        return Sharing;
    }

    public async Task StopSharingAsync()
    {
        if (Sharing is not null)
        {
            await Sharing.DisposeAsync();
            Sharing = null;
        }
    }

    public T Service<T>() where T : notnull => Sharing!.Services.GetRequiredService<T>();

    /// <summary>The registry's last change-log sequence.</summary>
    public async Task<long> RegistryLastAsync() => (long)(await RegistryClient.GetJsonAsync("/api/v1/changes/status")).Body["lastSequence"]!;

    /// <summary>Waits until the read model is built and holds everything the registry has written.</summary>
    public async Task CaughtUpAsync(TimeSpan? within = null)
    {
        var last = await RegistryLastAsync();
        await Eventually.TrueAsync(async () =>
        {
            var state = await Service<PeopleStore>().StateAsync(CancellationToken.None);
            return Service<PeopleReadiness>().IsReady && state.Low_Watermark >= last && await Service<PeopleStore>().PendingAsync(CancellationToken.None) == 0;
        }, within ?? TimeSpan.FromSeconds(60), $"the read model to reach sequence {last}");
    }

    /// <summary>Registers a resident of the community (its body changed by <paramref name="edit"/>); returns the person's id and identity number.</summary>
    public async Task<(Guid Id, string IdNumber, string Name, string BirthDate)> RegisterAsync(string community, string sex = "2", Action<Dictionary<string, object?>>? edit = null)
    {
        var body = People.ResidentOf(community, sex);
        edit?.Invoke(body);
        var (status, answer) = await RegistryClient.PostAsync("/api/v1/persons", body);
        return status == 201
            ? (Guid.Parse((string)answer["personId"]!), (string)body["idNumber"]!, (string)body["name"]!, (string)body["birthDate"]!)
            : throw new InvalidOperationException($"register: {status} {answer}");
    }

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

    /// <summary>Creates a household in the community and puts the persons in it (the first its head "02", the others "10").</summary>
    public async Task<Guid> HouseholdAsync(string community, params Guid[] members)
    {
        var (status, answer) = await RegistryClient.PostAsync("/api/v1/households", new
        {
            commandId = Guid.NewGuid(), number = $"H{Random.Shared.Next(10_000_000, 99_999_999)}", address = "东亭街道春华路1号", regionCode = community,
        });
        var household = status == 201 ? Guid.Parse((string)answer["id"]!) : throw new InvalidOperationException($"household: {status} {answer}");
        for (var i = 0; i < members.Length; i++)
        {
            await CommandAsync(members[i], "household", new { householdId = household, relationshipToHead = i == 0 ? "02" : "10" });
        }

        return household;
    }

    /// <summary>Gives a department (client <c>dept-{code}</c>) a grant through the administrators' API.</summary>
    public async Task GrantAsync(string code, object grant)
    {
        using var admin = Sharing!.CreateAdminClient();
        var response = await admin.PutAsJsonAsync($"/api/v1/grants/dept-{code}", grant);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"grant: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task DisposeAsync()
    {
        await StopSharingAsync();
        RegistryClient.Dispose();
        await Registry.DisposeAsync();
        await Broker.DisposeAsync();
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
        await TestInfrastructure.DropDatabaseAsync(Database);
    }

    /// <summary>The sharing service's reads of the registry go to the registry host in this process.</summary>
    private sealed class RegistryHandler(SharingFixture fixture) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(fixture.Registry.Server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
    }
}
