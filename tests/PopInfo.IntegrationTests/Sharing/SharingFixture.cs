using System.Net.Http.Json;
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
public sealed class SharingFixture : RegistryBackedFixture
{
    public SharingHost? Sharing { get; private set; }

    /// <summary>Two communities of one street, and one of another district.</summary>
    public IReadOnlyList<string> Communities { get; } =
    [
        .. RegionCatalogue.Wuxi.Communities.Where(c => c.ParentCode == RegionCatalogue.Wuxi.Streets[2].Code).Take(2).Select(c => c.Code),
        RegionCatalogue.Wuxi.Communities[^1].Code,
    ];

    /// <summary>
    /// Starts the sharing host on this fixture's store; given <paramref name="kestrelPort"/>, on a real socket at that port
    /// (for clients outside the process), otherwise on the in-process test server.
    /// </summary>
    public SharingHost StartSharing(IReadOnlyDictionary<string, string?>? settings = null, int? kestrelPort = null)
    {
        var all = ServiceSettings("sharing", settings);
        Sharing = new SharingHost(all, RegistryHandler);
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

    protected override Task StopServiceAsync() => StopSharingAsync();
}
