using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The registry and the collection desk on one PostgreSQL database (a schema each) and a RabbitMQ virtual
/// host of their own: the distributed mode, in one test process. Accounts: a collector for each of two
/// communities of one street, that street's supervisor, and the administrator.
/// </summary>
public sealed class DeskFixture : IAsyncLifetime
{
    public const string Password = "collector-password-1";

    public string Database { get; private set; } = "";
    public Uri VirtualHost { get; private set; } = null!;
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
        StartRegistry();
        Desk = new CollectionHost(RegistryHost.DistributedSettings(Database, VirtualHost), () => new RegistryForwarder(this));
        using var admin = await SignInAsync("admin", CollectionHost.AdminPassword);
        await CreateAccountAsync(admin, new { userName = "collector-a", displayName = "张丽", role = "collector", communityCode = CommunityA, password = Password });
        await CreateAccountAsync(admin, new { userName = "collector-b", displayName = "李强", role = "collector", communityCode = CommunityB, password = Password });
        await CreateAccountAsync(admin, new { userName = "supervisor", displayName = "王敏", role = "supervisor", streetCode = Street, password = Password });
    }

    /// <summary>(Re)starts the registry on the same database and virtual host.</summary>
    public void StartRegistry()
    {
        Registry = new RegistryHost(RegistryHost.DistributedSettings(Database, VirtualHost));
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

    public async Task<HttpClient> SignInAsync(string userName, string password = Password)
    {
        var client = Desk.CreateBrowserLikeClient();
        var (status, body) = await client.PostAsync("/api/v1/session", new { userName, password });
        if (status != 200)
        {
            throw new InvalidOperationException($"Sign-in of {userName} failed: {status} {body}");
        }

        return client;
    }

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

    public async Task DisposeAsync()
    {
        await Desk.DisposeAsync();
        await StopRegistryAsync();
        await TestInfrastructure.DropDatabaseAsync(Database);
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
    }

    private static async Task CreateAccountAsync(HttpClient admin, object account)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/accounts", account);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating an account failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
