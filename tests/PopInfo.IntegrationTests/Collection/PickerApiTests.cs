using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The desk's pickers over HTTP (docs/desk.md, "Pickers and the identity number"): the city's regions for the
/// district → street → community cascade, and the national county list; a desk session needed, bad input answered
/// with problem details naming the field and the rule. Expected names and codes are read from the shipped files
/// (wuxi-divisions.csv, areacodes.csv), not from the code under test.
/// </summary>
public sealed class PickerApiTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    private static readonly string[] Endpoints =
    [
        "/api/v1/regions", "/api/v1/regions/320205", "/api/v1/regions/320205/children",
        "/api/v1/reference/counties?q=%E6%A2%81%E6%BA%AA", "/api/v1/reference/counties/320213",
    ];

    [Fact]
    public async Task Without_a_desk_session_every_picker_is_refused()
    {
        using var anonymous = fixture.Desk.CreateBrowserLikeClient();
        foreach (var url in Endpoints)
        {
            using var response = await anonymous.GetAsync(url);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Unauthorized, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_cascade_goes_from_the_city_to_a_district_a_street_and_its_communities()
    {
        using var desk = await fixture.SignInAsync("collector-a");

        var (status, city) = await desk.GetJsonAsync("/api/v1/regions");
        Assert.Equal(200, status);
        Assert.Equal(("320200", "无锡市", "city", "official"), View(city["parent"]!));
        Assert.Equal(["320205", "320206", "320211", "320213", "320214", "320281", "320282"], Codes(city["children"]!));
        Assert.Equal("锡山区", (string)city["children"]![0]!["name"]!);

        var (_, xishan) = await desk.GetJsonAsync("/api/v1/regions/320205/children");
        Assert.Equal(9, xishan["children"]!.AsArray().Count);
        Assert.Equal(("320205001", "东亭街道", "street", "official"), View(xishan["children"]![0]!));
        Assert.Equal(("320205401", "锡山台湾农民创业园", "street", "official"), View(xishan["children"]![8]!));

        var (_, dongting) = await desk.GetJsonAsync("/api/v1/regions/320205001/children");
        var communities = dongting["children"]!.AsArray();
        Assert.InRange(communities.Count, 8, 20);
        Assert.All(communities, c => Assert.Equal(("community", "generated"), ((string)c!["level"]!, (string)c["nameSource"]!)));
        Assert.Equal(("320205001001", "东林社区", "community", "generated"), View(communities[0]!));

        var (_, below) = await desk.GetJsonAsync("/api/v1/regions/320205001001/children");
        Assert.Empty(below["children"]!.AsArray());
    }

    [Fact]
    public async Task The_browser_may_keep_an_answer_for_an_hour_unless_it_renews_the_session()
    {
        // Here sessions are re-checked (and their cookie renewed, which forbids caching) at every request; in production
        // every 30 s. A desk that re-checks hourly shows the answers between two checks.
        await using var hourly = fixture.Desk.WithWebHostBuilder(b => b.UseSetting("PopInfo:Collection:SessionRecheck", "01:00:00"));
        using var desk = await DeskSignIn.SignInAsync(
            hourly.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }), fixture.HintOf("collector-a"));

        using var answer = await desk.GetAsync("/api/v1/regions/320205/children");
        using var refused = await desk.GetAsync("/api/v1/reference/counties/32021");

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal((true, TimeSpan.FromHours(1)), (answer.Headers.CacheControl!.Private, answer.Headers.CacheControl.MaxAge!.Value));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal((true, TimeSpan.FromHours(1)), (refused.Headers.CacheControl!.Private, refused.Headers.CacheControl.MaxAge!.Value));

        // A renewed session's answer carries its cookie and must not be kept.
        using var renewed = await fixture.SignInAsync("collector-a");
        using var notKept = await renewed.GetAsync("/api/v1/regions/320205/children");
        Assert.True(notKept.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_community_comes_with_the_chain_above_it_for_a_supervisor_too()
    {
        using var supervisor = await fixture.SignInAsync("supervisor");

        var (status, detail) = await supervisor.GetJsonAsync("/api/v1/regions/" + fixture.CommunityA);

        Assert.Equal(200, status);
        Assert.Equal(("320205001001", "东林社区", "community", "generated"), View(detail["region"]!));
        Assert.Equal(["320200", "320205", "320205001"], Codes(detail["chain"]!));
        Assert.Equal(["无锡市", "锡山区", "东亭街道"], detail["chain"]!.AsArray().Select(r => (string)r!["name"]!));
    }

    [Theory]
    [InlineData("/api/v1/regions/32020", 400, "regionCode", "region.code-format")]
    [InlineData("/api/v1/regions/32020500100A", 400, "regionCode", "region.code-format")]
    [InlineData("/api/v1/regions/320205999/children", 404, "regionCode", "region.exists")]
    [InlineData("/api/v1/regions/320213999999", 404, "regionCode", "region.exists")]
    [InlineData("/api/v1/reference/counties", 400, "q", "county-search.query-required")]
    [InlineData("/api/v1/reference/counties?q=%20", 400, "q", "county-search.query-required")]
    [InlineData("/api/v1/reference/counties?q=3202021980022", 400, "q", "county-search.code-prefix")]
    [InlineData("/api/v1/reference/counties?q=32020219800229001X", 400, "q", "county-search.code-prefix")]
    [InlineData("/api/v1/reference/counties?q=%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E6%97%A0%E9%94%A1%E5%8E%BF", 400, "q", "county-search.query-length")]
    [InlineData("/api/v1/reference/counties?q=3202&limit=0", 400, "limit", "county-search.limit")]
    [InlineData("/api/v1/reference/counties?q=3202&limit=51", 400, "limit", "county-search.limit")]
    [InlineData("/api/v1/reference/counties/32021", 400, "countyCode", "county.code-format")]
    [InlineData("/api/v1/reference/counties/320201", 404, "countyCode", "county.exists")]
    public async Task Bad_input_is_a_problem_naming_the_field_and_the_rule(string url, int expected, string field, string rule)
    {
        using var desk = await fixture.SignInAsync("collector-a");
        using var response = await desk.GetAsync(url);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([(field, rule)], problem.Violations());
    }

    [Fact]
    public async Task A_county_search_by_name_finds_the_county_in_use_and_marks_an_abolished_one_with_its_years_and_successor()
    {
        using var desk = await fixture.SignInAsync("collector-a");

        var (status, liangxi) = await desk.GetJsonAsync("/api/v1/reference/counties?q=%E6%A2%81%E6%BA%AA");
        Assert.Equal(200, status);
        Assert.Equal("name", (string)liangxi["by"]!);
        var first = liangxi["entries"]![0]!;
        Assert.Equal(("320213", "梁溪区", "江苏省无锡市梁溪区", "in-use", 2015), ((string)first["code"]!, (string)first["name"]!,
            (string)first["fullName"]!, (string)first["status"]!, (int)first["fromYear"]!));

        var (_, chongan) = await desk.GetJsonAsync("/api/v1/reference/counties?q=%E5%B4%87%E5%AE%89&limit=2");
        var entries = chongan["entries"]!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal(("320202", "abolished", 1983, 2015), ((string)entries[0]!["code"]!, (string)entries[0]!["status"]!,
            (int)entries[0]!["fromYear"]!, (int)entries[0]!["toYear"]!));
        var successor = entries[0]!["successors"]![0]!;
        Assert.Equal(("320213", "梁溪区", true, 2015), ((string)successor["code"]!, (string)successor["name"]!, (bool)successor["inUse"]!, (int)successor["year"]!));
        Assert.Equal("352126", (string)entries[1]!["code"]!);
    }

    [Fact]
    public async Task A_county_code_gives_every_name_it_had_the_one_in_use_first()
    {
        using var desk = await fixture.SignInAsync("collector-b");

        var (status, binhu) = await desk.GetJsonAsync("/api/v1/reference/counties/320211");
        Assert.Equal(200, status);
        Assert.True((bool)binhu["inUse"]!);
        Assert.Equal(["滨湖区", "郊区"], binhu["entries"]!.AsArray().Select(e => (string)e!["name"]!));
        Assert.Equal("changed", (string)binhu["entries"]![1]!["status"]!);

        var (_, chongan) = await desk.GetJsonAsync("/api/v1/reference/counties/320202");
        Assert.False((bool)chongan["inUse"]!);
        Assert.Equal("abolished", (string)chongan["entries"]![0]!["status"]!);

        var (_, byPrefix) = await desk.GetJsonAsync("/api/v1/reference/counties?q=320202");
        Assert.Equal("code", (string)byPrefix["by"]!);
        Assert.Equal("320202", (string)byPrefix["entries"]![0]!["code"]!);
    }

    private static (string, string, string, string) View(JsonNode region) =>
        ((string)region["code"]!, (string)region["name"]!, (string)region["level"]!, (string)region["nameSource"]!);

    private static List<string> Codes(JsonNode list) => list.AsArray().Select(r => (string)r!["code"]!).ToList();
}
