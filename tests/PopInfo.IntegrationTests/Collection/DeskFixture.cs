using System.Text.Json.Nodes;
using Npgsql;
using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The registry and the collection desk on one PostgreSQL database (a schema each) and a RabbitMQ virtual
/// host of their own: the distributed mode, in one test process. People sign in at the tests' issuer: a collector
/// for each of two communities of one street, that street's supervisor, and an administrator.
/// </summary>
public sealed class DeskFixture : IAsyncLifetime
{
    public string Database { get; private set; } = "";
    /// <summary>The virtual host as the test server's administrator (tests looking at the broker from outside).</summary>
    public Uri VirtualHost { get; private set; } = null!;

    /// <summary>Each service's own broker user in the virtual host: the services run as them, as up.sh runs them.</summary>
    public ServiceBrokerUsers Broker { get; private set; } = null!;
    public RegistryHost Registry { get; private set; } = null!;
    public CollectionHost Desk { get; private set; } = null!;
    public HttpClient RegistryClient { get; private set; } = null!;

    /// <summary>Two communities of the same street, and the street.</summary>
    public string CommunityA { get; } = RegionCatalogue.Wuxi.Communities[0].Code;
    public string CommunityB { get; } = RegionCatalogue.Wuxi.Communities[1].Code;
    public string Street { get; } = RegionCatalogue.Wuxi.Communities[0].ParentCode!;

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync();
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        Broker = await ServiceBrokerUsers.CreateAsync(VirtualHost);
        StartRegistry();
        // The outbox looks for unanswered commands every second here (RegistryOutboxTests), not every 30 s.
        var deskSettings = new Dictionary<string, string?>(RegistryHost.DistributedSettings(Database, Broker.UriOf("collection")))
        {
            ["PopInfo:RegistryOutbox:ReconcileEvery"] = "00:00:01",
        };
        Desk = new CollectionHost(deskSettings, () => new RegistryForwarder(this));
        Add(new TestPerson("collector-a", "张丽", "collector", CommunityA));
        Add(new TestPerson("collector-b", "李强", "collector", CommunityB));
        Add(new TestPerson("supervisor", "王敏", "supervisor", Street));
        Add(new TestPerson("admin", "管理员", "admin", null));
    }

    private readonly Dictionary<string, string> hints = [];

    /// <summary>Makes a person known at the issuer, to sign in by their user name.</summary>
    public void Add(TestPerson person) => hints[person.UserName] = TestIssuer.Shared.People.Add(person);

    /// <summary>The person's account is disabled at the issuer: their refresh tokens are refused from now on.</summary>
    public void Disable(string userName) => TestIssuer.Shared.People.Disable(hints[userName]);

    /// <summary>The person's key at the issuer (OpenID Connect login_hint).</summary>
    public string HintOf(string userName) => hints[userName];

    /// <summary>(Re)starts the registry on the same database and virtual host.</summary>
    public void StartRegistry()
    {
        Registry = new RegistryHost(RegistryHost.DistributedSettings(Database, Broker.UriOf("registry")));
        RegistryClient = Registry.CreateClient();
        registryRunning = true;
    }

    public async Task StopRegistryAsync()
    {
        registryRunning = false;
        RegistryClient.Dispose();
        await Registry.DisposeAsync();
    }

    private volatile bool registryRunning;

    /// <summary>The desk's HTTP reads of the register: to the running registry host, or refused as by a closed port.</summary>
    private sealed class RegistryForwarder(DeskFixture fixture) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!fixture.registryRunning)
            {
                throw new HttpRequestException("Connection refused: the registry is stopped.");
            }

            return new HttpMessageInvoker(fixture.Registry.Server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A browser-like client of the desk, signed in at the issuer as the person.</summary>
    public Task<HttpClient> SignInAsync(string userName) => DeskSignIn.SignInAsync(Desk.CreateBrowserLikeClient(), hints[userName]);

    /// <summary>Registers a living resident of community A directly at the registry; returns (personId, idNumber).</summary>
    public async Task<(Guid PersonId, string IdNumber, int Version)> RegisterResidentAsync(string? sex = null)
    {
        var body = People.ResidentOf(CommunityA, sex);
        var (status, created) = await RegistryClient.PostAsync("/api/v1/persons", body);
        if (status != 201)
        {
            throw new InvalidOperationException($"Registering a resident failed: {status} {created}");
        }

        return (Guid.Parse((string)created["personId"]!), (string)body["idNumber"]!, (int)created["version"]!);
    }

    /// <summary>Polls a form until it leaves the submitted state (or the deadline passes) and returns it.</summary>
    public static async Task<JsonObject> WaitForAnswerAsync(HttpClient desk, Guid formId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var (_, form) = await desk.GetJsonAsync($"/api/v1/forms/{formId}");
            if ((string?)form["state"] is not "submitted" || DateTime.UtcNow > deadline)
            {
                return form;
            }

            await Task.Delay(100);
        }
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How many commands the desk has ever queued for the registry: the outbox's sequence, which only grows (answered
    /// commands leave the outbox, so its row count does not say whether a request queued one).
    /// </summary>
    public Task<long> CommandsQueuedAsync() =>
        ScalarAsync("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM collection.registry_command_outbox_seq_seq");

    public async Task DisposeAsync()
    {
        await Desk.DisposeAsync();
        await StopRegistryAsync();
        await TestInfrastructure.DropDatabaseAsync(Database);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
        await Broker.DisposeAsync();
    }
}
