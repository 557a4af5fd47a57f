using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>
/// The data-quality rules (docs/data-quality.md), on PostgreSQL and on SQLite: a fixture made through the registry's own
/// commands trips each rule a known number of times, beside near-misses; every count the registry publishes is checked
/// against a count worked out here by LINQ over the fixture (not the registry's code); the list is for the community's
/// collector and its street's supervisor only, and audited.
/// </summary>
public abstract class QualityBehaviour(RegistryFixture fixture)
{
    private static readonly ConcurrentDictionary<RegistryFixture, Lazy<Task<Seed>>> Seeds = new();
    private static readonly RegionCatalogue Regions = RegionCatalogue.Wuxi;

    // Street S with two communities C1 and C2; C3 in another street of the same district; C4 in another district.
    private static readonly Region C1 = Regions.Communities.First(c => Regions.ChildrenOf(c.ParentCode!).Count >= 2);
    private static readonly Region C2 = Regions.ChildrenOf(C1.ParentCode!).First(c => c.Code != C1.Code);
    private static readonly string Street = C1.ParentCode!;
    private static readonly string District = Regions.DistrictOf(C1.Code)!.Code;
    private static readonly Region C3 = Regions.Communities.First(c => c.ParentCode != Street && Regions.DistrictOf(c.Code)!.Code == District);
    private static readonly Region C4 = Regions.Communities.First(c => Regions.DistrictOf(c.Code)!.Code != District);
    private static readonly string OtherStreet = C3.ParentCode!;

    private static readonly string[] Rules =
        ["quality.missing-expected", "quality.implausible-age", "quality.migrant-overstay", "quality.household-without-head", "quality.duplicate-suspect"];

    /// <summary>One person of the fixture, as sent; what happens after (death, departure); and the person id the registry gave.</summary>
    private sealed record Spec(
        string Community, string Name, DateOnly Birth, string Sex, string? Phone = "13912345678", string? Marital = "20", string? Education = "20",
        string? RegisteredAddress = "春华路1号", DateOnly? Arrival = null, int Months = 0, bool Departs = false, bool Dies = false,
        string? Household = null, string? Relationship = null)
    {
        public bool Migrant => Arrival is not null;
        public bool Living => !Departs && !Dies;
        public string Id { get; set; } = "";
        public string IdNumber { get; set; } = "";
    }

    private sealed record Seed(IReadOnlyList<Spec> People, IReadOnlyDictionary<string, (string Id, string Community)> Households, DateOnly Today);

    private static DateOnly TodayInChina() => CityDate.Today;

    /// <summary>Completed years, worked out here from the calendar (not the domain's function).</summary>
    private static int AgeOf(DateOnly birth, DateOnly today) =>
        today.Year - birth.Year - (today.Month * 100 + today.Day < birth.Month * 100 + birth.Day ? 1 : 0);

    private Task<Seed> SeedAsync() => Seeds.GetOrAdd(fixture, _ => new Lazy<Task<Seed>>(CreateSeedAsync)).Value;

    private async Task<Seed> CreateSeedAsync()
    {
        var today = TodayInChina();
        var households = new Dictionary<string, (string Id, string Community)>();
        foreach (var (key, community) in new[] { ("H1", C1.Code), ("H2", C1.Code), ("H3", C2.Code), ("H4", C2.Code) })
        {
            var (status, created) = await fixture.Client.PostAsync("/api/v1/households",
                new { commandId = Guid.NewGuid(), number = "Q" + Guid.NewGuid().ToString("N")[..10], address = "春华路" + key, regionCode = community });
            Assert.Equal(201, status);
            households[key] = ((string)created["id"]!, community);
        }

        var adult = new DateOnly(1980, 5, 5);
        var people = new List<Spec>
        {
            // Complete and plausible: no rule.
            new(C1.Code, "赵一", adult, "1", Household: "H1", Relationship: "02"),
            new(C1.Code, "赵二", adult.AddDays(1), "2", Household: "H1", Relationship: "10"),
            new(C2.Code, "钱一", adult.AddDays(2), "1"),
            // Missing expected fields: an adult without a phone, one without education, one of 18 today without marital status,
            // a registered resident without a registered address; near-misses: a child, one turning 18 tomorrow, a dead adult without any.
            new(C1.Code, "孙一", adult.AddDays(3), "1", Phone: null),
            new(C2.Code, "孙二", adult.AddDays(4), "2", Education: null),
            new(C3.Code, "孙三", today.AddYears(-18), "1", Marital: null),
            new(C4.Code, "孙四", adult.AddDays(5), "2", RegisteredAddress: null),
            new(C1.Code, "孙五", today.AddYears(-10), "1", Phone: null, Marital: null, Education: null),
            new(C1.Code, "孙六", today.AddYears(-18).AddDays(1), "2", Phone: null, Marital: null, Education: null),
            new(C2.Code, "孙七", adult.AddDays(6), "1", Phone: null, Marital: null, Education: null, Dies: true),
            // Implausible age: 111 today; near-misses: exactly 110, and 116 but dead.
            new(C2.Code, "李一", today.AddYears(-111), "2"),
            new(C2.Code, "李二", today.AddYears(-110), "1"),
            new(C4.Code, "李三", today.AddYears(-116), "2", Dies: true),
            // Migrants: one a day past the stay, one whose stay ends today, one past it who left.
            new(C1.Code, "周一", adult.AddDays(7), "1", Arrival: today.AddMonths(-6).AddDays(-1), Months: 6),
            new(C1.Code, "周二", adult.AddDays(8), "2", Arrival: today.AddMonths(-6), Months: 6),
            new(C3.Code, "周三", adult.AddDays(9), "1", Arrival: today.AddYears(-3), Months: 12, Departs: true),
            // Households: H2 has two living members and no head; H3's head died, a member lives on; H4's one member died (no living member).
            new(C1.Code, "吴一", adult.AddDays(10), "1", Household: "H2", Relationship: "10"),
            new(C1.Code, "吴二", adult.AddDays(11), "2", Household: "H2", Relationship: "20"),
            new(C2.Code, "郑一", adult.AddDays(12), "1", Household: "H3", Relationship: "02", Dies: true),
            new(C2.Code, "郑二", adult.AddDays(13), "2", Household: "H3", Relationship: "30"),
            new(C2.Code, "郑三", adult.AddDays(14), "1", Household: "H4", Relationship: "10", Dies: true),
            // Suspected duplicates: two in C1; the same name, birth date and sex in C3 alone; same name and birth date but another sex;
            // a pair of which one died.
            new(C1.Code, "王芳", new DateOnly(1990, 3, 4), "2"),
            new(C1.Code, "王芳", new DateOnly(1990, 3, 4), "2"),
            new(C3.Code, "王芳", new DateOnly(1990, 3, 4), "2"),
            new(C2.Code, "陈静", new DateOnly(1991, 6, 7), "2"),
            new(C2.Code, "陈静", new DateOnly(1991, 6, 7), "1"),
            new(C4.Code, "林涛", new DateOnly(1992, 8, 9), "1"),
            new(C4.Code, "林涛", new DateOnly(1992, 8, 9), "1", Dies: true),
        };

        var sequence = 0;
        foreach (var p in people)
        {
            sequence++;
            p.IdNumber = IdentityNumber.Create("320211", p.Birth, sequence * 2 + (p.Sex == "1" ? 1 : 0));
            var body = new Dictionary<string, object?>
            {
                ["commandId"] = Guid.NewGuid(), ["idNumber"] = p.IdNumber, ["name"] = p.Name, ["sex"] = p.Sex, ["birthDate"] = p.Birth,
                ["ethnicity"] = "01", ["maritalStatus"] = p.Marital, ["education"] = p.Education, ["phone"] = p.Phone,
                ["residenceAddress"] = "春华路" + sequence + "号", ["residenceRegionCode"] = p.Community,
                ["householdId"] = p.Household is null ? null : households[p.Household].Id, ["relationshipToHead"] = p.Relationship,
            };
            string path;
            if (p.Migrant)
            {
                path = "/api/v1/migrant-arrivals";
                body["residenceType"] = "migrant";
                body["originRegionCode"] = "410102";
                body["arrivalDate"] = p.Arrival;
                body["reason"] = "work";
                body["expectedStayMonths"] = p.Months;
            }
            else
            {
                path = "/api/v1/persons";
                body["residenceType"] = "registered";
                body["registeredRegionCode"] = p.Community;
                body["registeredAddress"] = p.RegisteredAddress;
            }

            var (status, created) = await fixture.Client.PostAsync(path, body);
            Assert.True(status == 201, $"{p.Name}: {status} {created}");
            p.Id = (string)created["personId"]!;
            if (p.Dies)
            {
                Assert.Equal(200, (await fixture.Client.PostAsync($"/api/v1/persons/{p.Id}/death", new { commandId = Guid.NewGuid(), expectedVersion = 1, deathDate = today })).Status);
            }

            if (p.Departs)
            {
                Assert.Equal(200, (await fixture.Client.PostAsync($"/api/v1/persons/{p.Id}/migrant-departure",
                    new { commandId = Guid.NewGuid(), expectedVersion = 1, departureDate = today, destination = "郑州" })).Status);
            }
        }

        return new Seed(people, households, today);
    }

    /// <summary>What each rule flags, worked out here from the fixture: (rule, community it counts in, person id, household key).</summary>
    private static List<(string Rule, string Community, string PersonId, string? Household)> Expected(Seed seed)
    {
        var living = seed.People.Where(p => p.Living).ToList();
        var flagged = new List<(string, string, string, string?)>();
        foreach (var p in living)
        {
            var adult = AgeOf(p.Birth, seed.Today) >= 18;
            if ((!p.Migrant && p.RegisteredAddress is null) || (adult && (p.Phone is null || p.Marital is null || p.Education is null)))
            {
                flagged.Add(("quality.missing-expected", p.Community, p.Id, null));
            }

            if (AgeOf(p.Birth, seed.Today) > 110)
            {
                flagged.Add(("quality.implausible-age", p.Community, p.Id, null));
            }

            if (p.Migrant && p.Arrival!.Value.AddMonths(p.Months) < seed.Today)
            {
                flagged.Add(("quality.migrant-overstay", p.Community, p.Id, null));
            }
        }

        foreach (var group in living.GroupBy(p => (p.Community, p.Name, p.Birth, p.Sex)).Where(g => g.Count() >= 2))
        {
            flagged.AddRange(group.Select(p => ("quality.duplicate-suspect", p.Community, p.Id, (string?)null)));
        }

        foreach (var household in living.Where(p => p.Household is not null).GroupBy(p => p.Household!))
        {
            if (household.All(p => p.Relationship != "02"))
            {
                flagged.AddRange(household.Select(p => ("quality.household-without-head", seed.Households[household.Key].Community, p.Id, (string?)household.Key)));
            }
        }

        return flagged;
    }

    /// <summary>The count of a rule among flagged things within a region: households for the household rule, else persons.</summary>
    private static int CountWithin(List<(string Rule, string Community, string PersonId, string? Household)> expected, string rule, string region) =>
        rule == "quality.household-without-head"
            ? expected.Where(e => e.Rule == rule && Regions.IsWithin(e.Community, region)).Select(e => e.Household).Distinct().Count()
            : expected.Count(e => e.Rule == rule && Regions.IsWithin(e.Community, region));

    [Fact]
    public async Task The_fixture_trips_each_rule_the_known_number_of_times()
    {
        var expected = Expected(await SeedAsync());
        var city = Regions.CityCode;
        // By hand: 孙一 孙二 孙三 孙四; 李一; 周一; H2 and H3; 王芳 twice in C1.
        Assert.Equal([4, 1, 1, 2, 2], Rules.Select(r => CountWithin(expected, r, city)));

        using var monitoring = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryQuality], clientId: "popinfo-monitoring"));
        var (status, counts) = await monitoring.GetJsonAsync("/api/v1/quality/counts");
        Assert.Equal(200, status);
        Assert.Equal(city, (string)counts["region"]!["code"]!);
        Assert.Equal([4, 1, 1, 2, 2], Rules.Select(r => (int)counts["region"]!["counts"]![r]!));
    }

    [Fact]
    public async Task A_region_with_more_living_persons_than_the_limit_is_refused_by_name_and_a_smaller_one_answered()
    {
        await SeedAsync();
        using var monitoring = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryQuality], clientId: "popinfo-monitoring"));
        var configuration = fixture.Host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        // The fixture's city has more than two living persons; one community has at most the fixture's 28.
        configuration[PopInfo.Registry.Quality.QualityReport.MaxPersonsSetting] = "2";
        try
        {
            var (status, problem) = await monitoring.GetJsonAsync("/api/v1/quality/counts");
            Assert.Equal(400, status);
            Assert.Contains(problem["violations"]!.AsArray(), v => (string?)v!["field"] == "region" && (string?)v["rule"] == "quality.region-too-large");
        }
        finally
        {
            configuration[PopInfo.Registry.Quality.QualityReport.MaxPersonsSetting] = "28";
        }

        try
        {
            Assert.Equal(200, (await monitoring.GetJsonAsync("/api/v1/quality/counts")).Status);
        }
        finally
        {
            configuration[PopInfo.Registry.Quality.QualityReport.MaxPersonsSetting] = null;
        }
    }

    [Fact]
    public async Task The_monitoring_service_samples_every_count_and_asks_a_region_too_large_through_its_children()
    {
        var seed = await SeedAsync();
        var expected = Expected(seed);
        int LivingWithin(string region) => seed.People.Count(p => p.Living && Regions.IsWithin(p.Community, region));
        // A limit the district passes and each of its streets does not: the monitoring service must ask the streets.
        var streets = Regions.ChildrenOf(District);
        var limit = streets.Max(s => LivingWithin(s.Code));
        Assert.True(LivingWithin(District) > limit);
        var configuration = fixture.Host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        configuration[PopInfo.Registry.Quality.QualityReport.MaxPersonsSetting] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await using var monitoringService = new MonitoringHost(new Dictionary<string, string?>
            {
                ["PopInfo:Monitoring:Services:registry"] = "http://localhost/",
                ["PopInfo:Monitoring:QualityRegion"] = District,
                ["PopInfo:Monitoring:SampleInterval"] = "00:00:01",
            }, new Dictionary<string, Func<HttpMessageHandler>> { ["registry"] = () => fixture.Host.Server.CreateHandler() });
            using var operatorClient = monitoringService.CreateClient();
            operatorClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestIssuer.Shared.Token([], "popinfo-monitor-page",
                "op-qian", "operator", audiences: [PlatformScopes.Audience("monitoring")]));

            var sampled = new Dictionary<string, Dictionary<string, double>>();
            await PopInfo.IntegrationTests.Exchange.Eventually.TrueAsync(async () =>
            {
                foreach (var rule in Rules)
                {
                    var (_, series) = await operatorClient.GetJsonAsync($"/api/v1/samples?metric={rule}");
                    sampled[rule] = series["samples"]!.AsArray().GroupBy(x => (string)x!["subject"]!).ToDictionary(g => g.Key, g => (double)g.Last()!["value"]!);
                }

                return sampled.Values.All(v => v.Count > 0);
            }, TimeSpan.FromSeconds(30), "the data-quality samples");

            // Every street of the district and every community of those streets, each count as the fixture says; not the district.
            var regions = streets.Select(s => s.Code).Concat(streets.SelectMany(s => Regions.ChildrenOf(s.Code)).Select(c => c.Code)).ToHashSet();
            foreach (var rule in Rules)
            {
                Assert.Equal(regions.Order(StringComparer.Ordinal), sampled[rule].Keys.Order(StringComparer.Ordinal));
                Assert.All(regions, r => Assert.Equal(CountWithin(expected, rule, r), (int)sampled[rule][r]));
            }

            // By hand, the street of C1 and C2: 孙一 孙二; 李一; 周一; H2 and H3; 王芳 twice — no rule's count is zero by accident.
            Assert.Equal([2, 1, 1, 2, 2], Rules.Select(r => (int)sampled[r][Street]));
        }
        finally
        {
            configuration[PopInfo.Registry.Quality.QualityReport.MaxPersonsSetting] = null;
        }
    }

    [Theory]
    [InlineData("city")]
    [InlineData("district")]
    [InlineData("street")]
    [InlineData("community")]
    public async Task Every_count_of_a_region_and_its_children_matches_the_fixture(string level)
    {
        var expected = Expected(await SeedAsync());
        var code = level switch { "city" => Regions.CityCode, "district" => District, "street" => Street, _ => C1.Code };
        using var operatorClient = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryQuality], clientId: "popinfo-monitor-page", subject: "op-zhou", role: "operator"));
        var (status, counts) = await operatorClient.GetJsonAsync("/api/v1/quality/counts?region=" + code);
        Assert.Equal(200, status);

        Assert.Equal(Rules.Select(r => CountWithin(expected, r, code)), Rules.Select(r => (int)counts["region"]!["counts"]![r]!));
        var children = counts["children"]!.AsArray();
        Assert.Equal(Regions.ChildrenOf(code).Select(c => c.Code), children.Select(c => (string)c!["code"]!));
        foreach (var child in children)
        {
            var childCode = (string)child!["code"]!;
            Assert.Equal(Rules.Select(r => CountWithin(expected, r, childCode)), Rules.Select(r => (int)child["counts"]![r]!));
        }

        // The counts carry no person: no name, no identity number of the fixture appears in the answer.
        var text = counts.ToJsonString();
        var seed = await SeedAsync();
        Assert.DoesNotContain(seed.People, p => text.Contains(p.IdNumber, StringComparison.Ordinal) || text.Contains(p.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_collector_lists_exactly_the_flagged_persons_of_the_community_masked_and_paged_and_every_page_is_audited()
    {
        var seed = await SeedAsync();
        var expected = Expected(seed).Where(e => e.Community == C1.Code).Select(e => (e.Rule, e.PersonId)).OrderBy(e => e).ToList();
        Assert.Equal(6, expected.Count); // 孙一; 周一; 吴一, 吴二 (H2); 王芳 ×2 — and not 孙五, 孙六, 周二, 赵一, 赵二

        using var collector = ClientWith(CollectorToken(C1.Code, "collector-c1"));
        var listed = new List<(string, string)>();
        var audit = fixture.Host.Services.GetRequiredService<ReadAuditStore>();
        for (var offset = 0; ; offset += 3)
        {
            var (status, page) = await collector.GetJsonAsync($"/api/v1/quality/issues?community={C1.Code}&limit=3&offset={offset}");
            Assert.Equal(200, status);
            Assert.Equal(expected.Count, (int)page["total"]!);
            var items = page["items"]!.AsArray().Select(i => i!).ToList();
            foreach (var item in items)
            {
                var person = seed.People.Single(p => p.Id == (string)item["personId"]!);
                Assert.Equal(person.Name, (string)item["name"]!);
                Assert.Equal(IdentityNumber.Mask(person.IdNumber), (string)item["idNumber"]!);
                Assert.NotEqual(person.IdNumber, (string)item["idNumber"]!);
                listed.Add(((string)item["rule"]!, person.Id));
            }

            var read = (await audit.LatestAsync(1, CancellationToken.None)).Single();
            Assert.Equal(("quality.issues", "collector-c1"), (read.Action, read.Subject));
            Assert.Equal(items.Select(i => Guid.Parse((string)i["personId"]!)).Distinct().Order(),
                (read.Person_Ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).Order());
            if (items.Count < 3)
            {
                break;
            }
        }

        Assert.Equal(expected, listed.OrderBy(e => e));

        // One rule only; the street's supervisor reads the same community.
        using var supervisor = ClientWith(SupervisorToken(Street, "supervisor-s"));
        var (one, duplicates) = await supervisor.GetJsonAsync($"/api/v1/quality/issues?community={C1.Code}&rule=quality.duplicate-suspect");
        Assert.Equal(200, one);
        Assert.Equal(expected.Where(e => e.Rule == "quality.duplicate-suspect").Select(e => e.PersonId).Order(),
            duplicates["items"]!.AsArray().Select(i => (string)i!["personId"]!).Order());
    }

    [Fact]
    public async Task Only_the_communitys_collector_and_its_streets_supervisor_read_the_list()
    {
        await SeedAsync();
        var url = $"/api/v1/quality/issues?community={C1.Code}";
        using var anonymous = fixture.Host.CreateAnonymousClient();
        Assert.Equal(401, (await anonymous.GetJsonAsync(url)).Status);

        await RefusedAsync(CollectorToken(C2.Code, "collector-c2"), url, "scope.community");
        await RefusedAsync(SupervisorToken(OtherStreet, "supervisor-other"), url, "scope.community");
        await RefusedAsync(TestIssuer.Shared.Token([PlatformScopes.RegistryQuality], clientId: "popinfo-monitoring"), url, "token.scope");
        await RefusedAsync(TestIssuer.Shared.Token([PlatformScopes.RegistryRead], clientId: "popinfo-collection"), url, "token.scope");
        await RefusedAsync(TestIssuer.Shared.Token([PlatformScopes.RegistryQualityIssues], clientId: "popinfo-tests"), url, "token.role");
        await RefusedAsync(TestIssuer.Shared.Token([PlatformScopes.RegistryQualityIssues], clientId: "popinfo-tests", subject: "op", role: "operator"), url, "token.role");

        using var collector = ClientWith(CollectorToken(C1.Code, "collector-c1"));
        var (bad, problem) = await collector.GetJsonAsync($"/api/v1/quality/issues?community={C1.Code}&rule=quality.nothing&limit=201");
        Assert.Equal(400, bad);
        Assert.Equal(["limit", "rule"], problem["violations"]!.AsArray().Select(v => (string)v!["field"]!).Order());
        Assert.Equal(400, (await collector.GetJsonAsync($"/api/v1/quality/issues?community={Street}")).Status);
    }

    [Fact]
    public async Task Only_monitoring_and_operators_read_the_counts()
    {
        using var anonymous = fixture.Host.CreateAnonymousClient();
        Assert.Equal(401, (await anonymous.GetJsonAsync("/api/v1/quality/counts")).Status);
        await RefusedAsync(TestIssuer.Shared.Token([PlatformScopes.RegistryRead, PlatformScopes.RegistryWrite], clientId: "popinfo-collection"), "/api/v1/quality/counts", "token.scope");
        await RefusedAsync(CollectorToken(C1.Code, "collector-c1"), "/api/v1/quality/counts", "token.scope");
        await RefusedAsync(TestIssuer.Shared.Token([PlatformScopes.ExchangeDepartment], clientId: "dept-tax", audiences: [PlatformScopes.Audience("registry")]), "/api/v1/quality/counts", "token.scope");

        using var monitoring = ClientWith(TestIssuer.Shared.Token([PlatformScopes.RegistryQuality], clientId: "popinfo-monitoring"));
        var (bad, problem) = await monitoring.GetJsonAsync("/api/v1/quality/counts?region=999999");
        Assert.Equal(400, bad);
        Assert.Equal("region", (string)problem["violations"]![0]!["field"]!);
    }

    private static string CollectorToken(string community, string user) =>
        TestIssuer.Shared.Token([PlatformScopes.RegistryQualityIssues], clientId: "popinfo-collection", subject: user, role: "collector", region: community);

    private static string SupervisorToken(string street, string user) =>
        TestIssuer.Shared.Token([PlatformScopes.RegistryQualityIssues], clientId: "popinfo-collection", subject: user, role: "supervisor", region: street);

    private async Task RefusedAsync(string token, string url, string rule)
    {
        using var client = ClientWith(token);
        var (status, problem) = await client.GetJsonAsync(url);
        Assert.True(status == 403 && (string?)problem["rule"] == rule, $"{url}: {status} {problem}, expected 403 {rule}");
    }

    private HttpClient ClientWith(string token)
    {
        var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public sealed class QualityOnPostgreSqlTests(PostgreSqlRegistryFixture fixture) : QualityBehaviour(fixture), IClassFixture<PostgreSqlRegistryFixture>;

public sealed class QualityOnSqliteTests(SqliteRegistryFixture fixture) : QualityBehaviour(fixture), IClassFixture<SqliteRegistryFixture>;
