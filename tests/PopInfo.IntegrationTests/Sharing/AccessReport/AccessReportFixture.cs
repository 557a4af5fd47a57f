using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Sharing;
using PopInfo.Sharing.AccessReport;
using PopInfo.Sharing.People;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing.AccessReport;

/// <summary>
/// The registry (a real host, on PostgreSQL and RabbitMQ) and the sharing service, whose read model and access report read
/// that registry through the test's process; the exchange is a stub of canned answers (<see cref="ExchangeAnswer"/>) that
/// records what it was asked (<see cref="ExchangeRequests"/>). Purpose <c>tax-administration</c> is withheld by setting.
/// </summary>
public sealed class AccessReportFixture : RegistryBackedFixture, IAsyncLifetime
{
    public const string ConfiguredWithheld = "tax-administration";

    // The host the test's host derives from (its settings); disposed last.
    private readonly List<IAsyncDisposable> owned = [];

    public WebApplicationFactory<SharingEntryPoint> Sharing { get; private set; } = null!;

    public string Community { get; } = RegionCatalogue.Wuxi.Communities[3].Code;

    /// <summary>What the stubbed exchange answers; null: it does not answer (connection refused).</summary>
    public Func<HttpRequestMessage, string, HttpResponseMessage?> ExchangeAnswer { get; set; } = (_, _) => Json(HttpStatusCode.OK, "{\"personId\":null,\"deliveries\":[],\"truncated\":false}");

    /// <summary>Every request the exchange stub was sent: its bearer token and body.</summary>
    public ConcurrentQueue<(string? Authorization, string Body)> ExchangeRequests { get; } = new();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var host = new SharingHost(ServiceSettings("sharing", new Dictionary<string, string?>
        {
            [$"{SharingOptions.Section}:WithheldPurposes:0"] = ConfiguredWithheld,
        }), RegistryHandler);
        owned.Add(host);
        Sharing = host.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddHttpClient<RegistryAccessLogClient>().ConfigurePrimaryHttpMessageHandler(RegistryHandler);
            s.AddHttpClient<ExchangeDeliveriesClient>().ConfigurePrimaryHttpMessageHandler(() => new ExchangeStub(this));
        }));
        _ = Sharing.Server;
    }

    public T Service<T>() where T : notnull => Sharing.Services.GetRequiredService<T>();

    public HttpClient ClientWithToken(string? token)
    {
        var client = Sharing.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Waits until the read model is built and holds everything the registry has written.</summary>
    public async Task CaughtUpAsync()
    {
        var last = await RegistryLastAsync();
        await Eventually.TrueAsync(async () =>
        {
            var state = await Service<PeopleStore>().StateAsync(CancellationToken.None);
            return Service<PeopleReadiness>().IsReady && state.Low_Watermark >= last && await Service<PeopleStore>().PendingAsync(CancellationToken.None) == 0;
        }, TimeSpan.FromSeconds(60), $"the read model to reach sequence {last}");
    }

    /// <summary>Registers a resident of the fixture's community; returns the person's id and identity number.</summary>
    public async Task<(Guid Id, string IdNumber, string Name)> RegisterAsync()
    {
        var body = People.ResidentOf(Community, "1");
        var (status, answer) = await RegistryClient.PostAsync("/api/v1/persons", body);
        return status == 201
            ? (Guid.Parse((string)answer["personId"]!), (string)body["idNumber"]!, (string)body["name"]!)
            : throw new InvalidOperationException($"register: {status} {answer}");
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    protected override async Task StopServiceAsync()
    {
        if (Sharing is not null)
        {
            await Sharing.DisposeAsync();
        }

        foreach (var host in owned)
        {
            await host.DisposeAsync();
        }
    }

    private sealed class ExchangeStub(AccessReportFixture fixture) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            fixture.ExchangeRequests.Enqueue((request.Headers.Authorization?.ToString(), body));
            return fixture.ExchangeAnswer(request, body) ?? throw new HttpRequestException("Connection refused (the exchange stub is down)");
        }
    }
}
