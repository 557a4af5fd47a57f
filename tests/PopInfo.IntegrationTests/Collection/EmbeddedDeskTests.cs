using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>The desk's behaviour in the embedded mode — SQLite and the in-memory bus, all services in one process.</summary>
public sealed class EmbeddedDeskFixture : IAsyncLifetime
{
    public EmbeddedPlatform Platform { get; } = new();
    public HttpClient Registry { get; private set; } = null!;
    public string CommunityA { get; } = RegionCatalogue.Wuxi.Communities[0].Code;
    public string CommunityB { get; } = RegionCatalogue.Wuxi.Communities[1].Code;
    public string CommunityC { get; } = RegionCatalogue.Wuxi.Communities[2].Code;

    public async Task InitializeAsync()
    {
        Registry = Platform.ClientOf(5101);
        foreach (var (user, community) in new[] { ("collector-a", CommunityA), ("collector-b", CommunityB), ("collector-c", CommunityC) })
        {
            hints[user] = TestIssuer.Shared.People.Add(new TestPerson(user, "采集员", "collector", community));
        }

        await Task.CompletedTask;
    }

    private readonly Dictionary<string, string> hints = [];

    /// <summary>A client of the desk, signed in at the tests' issuer as the person.</summary>
    public Task<HttpClient> SignInAsync(string userName) => DeskSignIn.SignInAsync(Platform.ClientOf(5102), hints[userName]);

    public async Task<string> RegisterResidentAsync(string community)
    {
        var body = People.ResidentOf(community);
        var (status, created) = await Registry.PostAsync("/api/v1/persons", body);
        return status == 201 ? (string)body["idNumber"]! : throw new InvalidOperationException($"{status} {created}");
    }

    public async Task DisposeAsync()
    {
        Registry.Dispose();
        await Platform.DisposeAsync();
    }
}

public sealed class EmbeddedDeskTests(EmbeddedDeskFixture fixture) : IClassFixture<EmbeddedDeskFixture>
{
    [Fact]
    public async Task A_birth_goes_through_the_in_memory_bus_and_is_accepted()
    {
        var mother = await fixture.RegisterResidentAsync(fixture.CommunityA);
        using var desk = await fixture.SignInAsync("collector-a");

        var (status, created) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(mother));

        Assert.Equal(201, status);
        var form = await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)created["id"]!));
        Assert.Equal("accepted", (string)form["state"]!);
        var (found, person) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/by-id-number/{(string)created["data"]!["idNumber"]!}");
        Assert.Equal(200, found);
        Assert.Equal("born", (string)person["changeType"]!);
    }

    [Fact]
    public async Task A_refused_form_stores_nothing_and_another_community_is_out_of_reach()
    {
        using var desk = await fixture.SignInAsync("collector-a");
        using var other = await fixture.SignInAsync("collector-b");
        var before = (await desk.GetArrayAsync("/api/v1/forms")).Count;

        var (status, problem) = await desk.PostAsync("/api/v1/forms", new { formType = "move-out", submit = true, data = new { idNumber = "320205198601010048", moveDate = "2026-01-05" } });

        Assert.Equal(400, status);
        Assert.Contains(("destination", "required"), problem.Violations());
        Assert.Contains(("idNumber", "id-number.check-character"), problem.Violations());
        Assert.Equal(before, (await desk.GetArrayAsync("/api/v1/forms")).Count);

        var (_, draft) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { deathDate = "2026-01-05" } });
        Assert.Equal(403, (await other.GetJsonAsync($"/api/v1/forms/{(string)draft["id"]!}")).Status);
        Assert.Equal(403, (await other.PostAsync($"/api/v1/forms/{(string)draft["id"]!}/submit", new { })).Status);
    }

    [Fact]
    public async Task A_day_closes_when_cleared_and_then_sends_new_forms_to_the_next_day()
    {
        var leaving = await fixture.RegisterResidentAsync(fixture.CommunityC);
        using var desk = await fixture.SignInAsync("collector-c");
        var (_, moveOut) = await desk.PostAsync("/api/v1/forms", new { formType = "move-out", submit = true, data = new { idNumber = leaving, moveDate = "2026-01-05", destination = "上海市" } });
        var (_, draft) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { idNumber = leaving } });
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)moveOut["id"]!)))["state"]!);
        var day = (string)moveOut["day"]!;

        var (refused, problem) = await desk.PostAsync($"/api/v1/communities/{fixture.CommunityC}/days/{day}/close", new { });
        Assert.Equal(409, refused);
        Assert.Equal("day.not-cleared", (string)problem["rule"]!);
        Assert.Equal(200, (await desk.PostAsync($"/api/v1/forms/{(string)draft["id"]!}/withdraw", new { reason = "录入错误" })).Status);
        var (closed, report) = await desk.PostAsync($"/api/v1/communities/{fixture.CommunityC}/days/{day}/close", new { });
        Assert.Equal(200, closed);
        Assert.Equal(2, (int)report["totals"]!["forms"]!);
        Assert.Equal(1, (int)report["totals"]!["accepted"]!);
        Assert.Equal(1, (int)report["totals"]!["withdrawn"]!);

        var (_, late) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { idNumber = leaving } });
        Assert.True((bool)late["late"]!);
        Assert.NotEqual(day, (string)late["day"]!);
    }

    [Fact]
    public async Task A_csv_file_is_taken_once_with_its_bad_rows_listed()
    {
        var dying = await fixture.RegisterResidentAsync(fixture.CommunityA);
        using var desk = await fixture.SignInAsync("collector-a");
        var csv = $"表单类型,公民身份号码,死亡日期\n死亡,{dying},2026-01-06\n死亡,{dying[..17]}Z,2026-01-06\n";

        var (status, result) = await DeskForms.UploadCsvAsync(desk, csv);

        Assert.Equal(201, status);
        Assert.Equal(1, (int)result["accepted"]!);
        Assert.Equal(3, (int)result["badRows"]![0]!["line"]!);
        var form = await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)result["forms"]![0]!));
        Assert.Equal("accepted", (string)form["state"]!);
        Assert.Equal(409, (await DeskForms.UploadCsvAsync(desk, csv)).Status);
    }
}
