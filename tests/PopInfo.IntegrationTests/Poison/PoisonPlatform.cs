using System.Text.Json.Nodes;
using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Poison;

/// <summary>
/// The three services that take input from outside — the registry, the collection desk and the exchange — on
/// one database product: PostgreSQL with RabbitMQ (a database and a virtual host of their own), or SQLite with
/// the in-memory bus (a folder of their own) — and the identity provider, where people's accounts are kept. The desk
/// has one collector, for <see cref="Community"/>, signed in at the tests' issuer.
/// </summary>
public abstract class PoisonPlatform : IAsyncLifetime
{
    public const string Collector = "poison-collector";

    public string Community { get; } = RegionCatalogue.Wuxi.Communities[0].Code;
    public RegistryHost Registry { get; private set; } = null!;
    public CollectionHost Desk { get; private set; } = null!;
    public ExchangeHost Exchange { get; private set; } = null!;
    public HttpClient RegistryClient { get; private set; } = null!;
    public HttpClient ExchangeAdmin { get; private set; } = null!;

    /// <summary>The collector's key at the tests' issuer.</summary>
    public string CollectorHint { get; private set; } = "";

    /// <summary>The collector, signed in once for the class.</summary>
    public HttpClient DeskCollector { get; private set; } = null!;

    /// <summary>The identity provider on the same database, and an administrator's client of it.</summary>
    public IdentityHost Identity { get; private set; } = null!;
    public HttpClient IdentityAdmin { get; private set; } = null!;

    /// <summary>True when departments get RabbitMQ accounts (PostgreSQL with RabbitMQ), so that AMQP pushes can be tried.</summary>
    public abstract bool HasBroker { get; }

    /// <summary>Where the departments' broker accounts live (RabbitMQ only).</summary>
    public Uri? VirtualHost { get; protected set; }

    /// <summary>The settings of every service: one database and one bus.</summary>
    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync()
    {
        var settings = await SettingsAsync();
        Registry = new RegistryHost(settings);
        RegistryClient = Registry.CreateClient();
        Desk = new CollectionHost(settings, () => Registry.Server.CreateHandler());
        Exchange = new ExchangeHost(settings, () => Registry.Server.CreateHandler());
        ExchangeAdmin = Exchange.CreateAdminClient();

        Identity = new IdentityHost(new Dictionary<string, string?>(settings) { ["PopInfo:Identity:AdminPassword"] = IdentityHost.AdminPassword });
        IdentityAdmin = Identity.CreateAdminClient();
        CollectorHint = TestIssuer.Shared.People.Add(new TestPerson(Collector, "采集员", "collector", Community));
        DeskCollector = await DeskSignIn.SignInAsync(Desk.CreateBrowserLikeClient(), CollectorHint);
    }

    /// <summary>Registers a living resident of <see cref="Community"/>; returns the person id and identity number.</summary>
    public async Task<(Guid PersonId, string IdNumber)> RegisterResidentAsync()
    {
        var body = People.ResidentOf(Community);
        var (status, created) = await RegistryClient.PostAsync("/api/v1/persons", body);
        return status == 201
            ? (Guid.Parse((string)created["personId"]!), (string)body["idNumber"]!)
            : throw new InvalidOperationException($"Registering a resident: {status} {created}");
    }

    /// <summary>The last change-log sequence: unchanged when nothing was stored in the register.</summary>
    public async Task<long> LastSequenceAsync() => (long)(await RegistryClient.GetJsonAsync("/api/v1/changes/status")).Body["lastSequence"]!;

    public async Task<JsonObject> CreateDepartmentAsync(string prefix, params string[] inboundKinds)
    {
        var (status, body) = await ExchangeAdmin.PostAsync("/api/v1/departments",
            new { code = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}", name = "公安局", contact = "0510-12345678", inboundKinds });
        return status == 201 ? body : throw new InvalidOperationException($"Creating a department: {status} {body}");
    }

    public async Task DisposeAsync()
    {
        RegistryClient.Dispose();
        ExchangeAdmin.Dispose();
        IdentityAdmin.Dispose();
        DeskCollector.Dispose();
        await Identity.DisposeAsync();
        await Exchange.DisposeAsync();
        await Desk.DisposeAsync();
        await Registry.DisposeAsync();
        await CleanUpAsync();
    }
}

public sealed class PostgreSqlPoisonPlatform : PoisonPlatform
{
    private string database = "";

    public override bool HasBroker => true;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        database = await TestInfrastructure.CreateDatabaseAsync();
        // A virtual host of its own: other registries on the same broker never take these commands.
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        return RegistryHost.DistributedSettings(database, VirtualHost);
    }

    protected override async Task CleanUpAsync()
    {
        await TestInfrastructure.DropDatabaseAsync(database);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost!);
    }
}

public sealed class SqlitePoisonPlatform : PoisonPlatform
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-poison-" + Guid.NewGuid().ToString("N")[..12]);

    public override bool HasBroker => false;

    protected override Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>
    {
        ["PopInfo:Database:Provider"] = "Sqlite",
        ["PopInfo:Database:DataDirectory"] = folder,
        ["PopInfo:Bus:Transport"] = "InMemory",
    });

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
