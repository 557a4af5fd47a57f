using System.Text.Json.Nodes;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Collection;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>What a test holds of one department: its code and the credentials handed out once at creation.</summary>
public sealed record TestDepartment(string Code, string ApiKey, string AmqpUser, string AmqpPassword, string Queue, string InboundExchange, string WebhookSecret, JsonObject Created);

/// <summary>
/// The registry, the collection desk and the exchange on one PostgreSQL database (a schema each) and a
/// RabbitMQ virtual host of their own — the distributed mode in one test process. Departments are made per
/// test; each test works in communities of its own, so one test's changes never match another's subscriptions.
/// </summary>
public sealed class ExchangeFixture : IAsyncLifetime
{
    private static int nextCommunity = 10;

    public DeskFixture Desk { get; } = new();
    public ExchangeHost Exchange { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Registry => Desk.RegistryClient;

    public async Task InitializeAsync()
    {
        await Desk.InitializeAsync();
        StartExchange();
        // Wait until the exchange answers (migrations done).
        var (status, _) = await Admin.GetJsonAsync("/api/v1/service");
        if (status != 200)
        {
            throw new InvalidOperationException($"The exchange did not start: {status}");
        }
    }

    public void StartExchange()
    {
        Exchange = AnotherExchangeInstance();
        Admin = Exchange.CreateAdminClient();
    }

    /// <summary>One more instance of the exchange on the same database and broker (the caller disposes it).</summary>
    public ExchangeHost AnotherExchangeInstance(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // As the exchange's own broker user, with the provisioning credential apart.
        var all = RegistryHost.DistributedSettings(Desk.Database, Desk.Broker.UriOf("exchange"));
        foreach (var (key, value) in Desk.Broker.ExchangeProvisioningSettings().Concat(settings ?? new Dictionary<string, string?>()))
        {
            all[key] = value;
        }

        return new ExchangeHost(all, () => new RegistryHandler(this));
    }

    /// <summary>A community no other test of this process uses.</summary>
    public static string FreshCommunity() => RegionCatalogue.Wuxi.Communities[Interlocked.Increment(ref nextCommunity)].Code;

    /// <summary>Creates a department (unique code from <paramref name="prefix"/>) and returns what it was handed.</summary>
    public async Task<TestDepartment> CreateDepartmentAsync(string prefix, Uri? webhook = null, IReadOnlyList<string>? inboundKinds = null)
    {
        var code = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var (status, body) = await Admin.PostAsync("/api/v1/departments", new
        {
            code,
            name = $"{prefix} bureau",
            contact = "duty desk, 0510-12345678",
            webhookUrl = webhook?.ToString(),
            inboundKinds = inboundKinds ?? [],
        });
        if (status != 201)
        {
            throw new InvalidOperationException($"Creating department {code} failed: {status} {body}");
        }

        var credentials = body["credentials"]!;
        var amqp = credentials["amqp"]!;
        return new TestDepartment(code, (string)credentials["apiKey"]!, (string)amqp["user"]!, (string)amqp["password"]!, (string)amqp["queue"]!,
            (string)amqp["inboundExchange"]!, (string)credentials["webhookSecret"]!, body);
    }

    public async Task<JsonObject> SubscribeAsync(string code, string[] changeTypes, string[] regions, string[] fields, string purpose = "Keeps the bureau's copy of residents current.")
    {
        var (status, body) = await Admin.PostAsync($"/api/v1/departments/{code}/subscriptions", new { changeTypes, regions, fields, purpose });
        if (status != 201)
        {
            throw new InvalidOperationException($"Subscribing {code} failed: {status} {body}");
        }

        return body;
    }

    /// <summary>Registers a living resident of <paramref name="community"/> at the registry; returns (personId, idNumber, name, sequence).</summary>
    public async Task<(Guid PersonId, string IdNumber, string Name, long Sequence)> RegisterResidentAsync(string community)
    {
        var body = People.ResidentOf(community);
        var (status, created) = await Registry.PostAsync("/api/v1/persons", body);
        if (status != 201)
        {
            throw new InvalidOperationException($"Registering a resident failed: {status} {created}");
        }

        return (Guid.Parse((string)created["personId"]!), (string)body["idNumber"]!, (string)body["name"]!, (long)created["sequence"]!);
    }

    /// <summary>Corrects a person's occupation (one more change of that person).</summary>
    public async Task<long> CorrectOccupationAsync(Guid personId, string occupation)
    {
        var (status, body) = await Registry.PostAsync($"/api/v1/persons/{personId}/corrections", new { commandId = Guid.NewGuid(), expectedVersion = await VersionOfAsync(personId), occupation });
        if (status != 200)
        {
            throw new InvalidOperationException($"Correcting {personId} failed: {status} {body}");
        }

        return (long)body["sequence"]!;
    }

    public async Task<int> VersionOfAsync(Guid personId)
    {
        var (status, body) = await Registry.GetJsonAsync($"/api/v1/persons/{personId}");
        return status == 200 ? (int)body["version"]! : throw new InvalidOperationException($"Reading {personId}: {status}");
    }

    public async Task<JsonObject> StatusAsync(string code)
    {
        var (status, body) = await Admin.GetJsonAsync($"/api/v1/departments/{code}/delivery-status");
        return status == 200 ? body : throw new InvalidOperationException($"Status of {code}: {status} {body}");
    }

    /// <summary>Waits until the department's last sequence reaches <paramref name="count"/> (the projection caught up).</summary>
    public async Task WaitForProjectedAsync(string code, long count, TimeSpan? within = null)
    {
        await Eventually.TrueAsync(async () => (long)(await StatusAsync(code))["lastSequence"]! >= count, within ?? TimeSpan.FromSeconds(30), $"{code} to have {count} events");
    }

    public Uri DepartmentBrokerUri(TestDepartment department) => DepartmentQueue.As(Desk.VirtualHost, department.AmqpUser, department.AmqpPassword);

    public async Task<JsonArray> FeedAsync(TestDepartment department, long after = 0, int limit = 1000)
    {
        using var client = Exchange.CreateClientWithKey(department.ApiKey);
        var (status, body) = await client.GetJsonAsync($"/api/v1/feed?after={after}&limit={limit}");
        return status == 200 ? body["events"]!.AsArray() : throw new InvalidOperationException($"Feed of {department.Code}: {status} {body}");
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Exchange.DisposeAsync();
        await Desk.DisposeAsync();
    }

    /// <summary>The exchange's reads of the change feed, to whichever registry host is running now.</summary>
    private sealed class RegistryHandler(ExchangeFixture fixture) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(fixture.Desk.Registry.Server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
    }
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="within"/> passes; then fails naming <paramref name="what"/> and, given <paramref name="state"/>, what the state was.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string what, Func<Task<string>>? state = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {within.TotalSeconds} s for {what}." + (state is null ? "" : " State: " + await state()));
            }

            await Task.Delay(100);
        }
    }
}
