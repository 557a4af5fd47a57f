using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;

namespace PopInfo.EndToEndTests;

/// <summary>
/// Two processes of each of the registry, the identity provider, the desk, the exchange and the sharing service behind the
/// gateway, on PostgreSQL and RabbitMQ: desk forms and direct changes go through the gateway while one instance of each
/// service is killed (SIGKILL; of the registry and the exchange, the one leading their loops), and every change reaches the
/// department's queue — one event per change, none missing, none unentitled. A token one identity instance issued is
/// accepted with the keys the other one serves.
/// </summary>
public sealed class SeveralInstancesTests(ITestOutputHelper output)
{
    private const int Mothers = 20;
    private const int DirectChanges = 80;
    private const int FormEvery = 4;
    private const string LeaseTtl = "00:00:03";
    private static readonly string[] Services = ["registry", "identity", "collection", "exchange", "sharing"];

    [Fact]
    public async Task With_one_instance_of_each_service_killed_during_the_stream_every_change_reaches_the_department_once()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var broker = await TestInfrastructure.CreateVirtualHostAsync();
        var management = await TestInfrastructure.RabbitMqManagementAsync();
        var community = RegionCatalogue.Wuxi.Communities[7].Code;
        var started = DateTime.UtcNow;
        await using (var platform = new InstancesBehindGateway(database, broker))
        {
            var common = new Dictionary<string, string> { ["PopInfo__Leases__Ttl"] = LeaseTtl };
            platform
                .Add("registry", 2, common)
                .Add("identity", 2, With(common, new()
                {
                    ["PopInfo__Identity__Issuer"] = platform.Url("identity").ToString(),
                    ["PopInfo__Identity__AdminPassword"] = IdentityHost.AdminPassword,
                }))
                .Add("collection", 2, With(common, new() { ["PopInfo__Collection__RegistryUrl"] = platform.Url("registry").ToString() }))
                .Add("exchange", 2, With(common, new()
                {
                    ["PopInfo__Exchange__RegistryUrl"] = platform.Url("registry").ToString(),
                    ["PopInfo__Exchange__RabbitMqManagementUrl"] = management.ToString(),
                    ["PopInfo__Exchange__AdminKey"] = ExchangeHost.AdminKey,
                }))
                .Add("sharing", 2, With(common, new()
                {
                    ["PopInfo__Sharing__RegistryUrl"] = platform.Url("registry").ToString(),
                    ["PopInfo__Sharing__ExchangeUrl"] = platform.Url("exchange").ToString(),
                }));
            await platform.StartAsync();
            output.WriteLine($"ten instances and the gateway ready after {(DateTime.UtcNow - started).TotalSeconds:0} s");

            var department = await SubscribeDepartmentAsync(platform.Url("exchange"), community, broker);
            using var registry = ServiceProcess.RegistryClient(platform.Url("registry"), TimeSpan.FromSeconds(10));
            // The desk's session: its sign-in's correlation cookie and its session cookie are read by whichever desk instance answers.
            using var desk = await DeskSignIn.SignInAsync(
                new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
                {
                    BaseAddress = platform.Url("collection"), Timeout = TimeSpan.FromSeconds(10),
                },
                TestIssuer.Shared.People.Add(new TestPerson("e2e-instances-collector", "测试", "collector", community)));
            var tokenFromFirst = await ClientTokenAsync(platform.Instances("identity")[0].BaseAddress);

            var expected = new List<string>(); // identity numbers, one registered or born each
            var mothers = new List<string>();
            for (var i = 0; i < Mothers; i++)
            {
                mothers.Add(await RegisterAsync(registry, community));
            }

            expected.AddRange(mothers);
            var forms = new List<(Guid Form, string Child)>();
            for (var i = 0; i < DirectChanges; i++)
            {
                if (i == DirectChanges / 3)
                {
                    await KillOneOfEachAsync(platform, database);
                }

                expected.Add(await RegisterAsync(registry, community));
                if (i % FormEvery == 0)
                {
                    var n = i / FormEvery;
                    forms.Add(await SubmitBirthAsync(desk, mothers[n % Mothers], n));
                }
            }

            expected.AddRange(forms.Select(f => f.Child).Distinct());
            output.WriteLine($"{expected.Count} changes sent after {(DateTime.UtcNow - started).TotalSeconds:0} s");

            // Every form answered by the desk instance left; a form sent again after a lost answer is refused as a duplicate.
            var states = await AnswersAsync(desk, forms.Select(f => f.Form));
            Assert.All(states, s => Assert.NotEqual("submitted", s.Value));
            Assert.Equal(forms.Select(f => f.Child).Distinct().Count(), forms.Count(f => states[f.Form] == "accepted"));

            // The department's queue: exactly one event per change, repeats (the same id, at least once) counted apart.
            var events = await DepartmentQueue.TakeAsync(department.Queue, department.Name, expected.Count, TimeSpan.FromSeconds(60));
            var later = await DepartmentQueue.TakeAsync(department.Queue, department.Name, int.MaxValue, TimeSpan.FromSeconds(3));
            var all = events.Concat(later).ToList();
            var byId = all.GroupBy(e => (string)e.Json["id"]!).ToList();
            output.WriteLine($"{all.Count} messages, {byId.Count} events, {all.Count - byId.Count} repeats, after {(DateTime.UtcNow - started).TotalSeconds:0} s");
            Assert.All(byId, g => Assert.Single(g.Select(e => e.Body).Distinct()));
            var perPerson = byId.Select(g => g.First().Json).GroupBy(e => (string)e["data"]!["person"]!["idNumber"]!).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(expected.Order(StringComparer.Ordinal), perPerson.Keys.Order(StringComparer.Ordinal));
            Assert.All(perPerson, p => Assert.Equal(1, p.Value));
            Assert.Equal(expected.Count, byId.Count);

            // A token issued by the identity instance that was killed is accepted with the keys the other one serves.
            Assert.True(platform.Instances("identity")[0].HasExited);
            await AssertAcceptedAsync(tokenFromFirst, platform.Url("identity"));
            await AssertAcceptedAsync(await ClientTokenAsync(platform.Url("identity")), platform.Url("identity"));
        }

        output.WriteLine($"finished after {(DateTime.UtcNow - started).TotalSeconds:0} s");
        await TestInfrastructure.DropDatabaseAsync(database);
        await TestInfrastructure.DeleteVirtualHostAsync(broker);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> common, Dictionary<string, string> more) =>
        new(common.Concat(more));

    /// <summary>
    /// SIGKILL one instance of each service: of the registry and the exchange the one holding their loops' leases (so the
    /// other must take them over), of the others the first.
    /// </summary>
    private async Task KillOneOfEachAsync(InstancesBehindGateway platform, string database)
    {
        foreach (var service in Services)
        {
            var lease = service switch { "registry" => "change-log-relay", "exchange" => "exchange-delivery", _ => null };
            var victim = lease is null ? platform.Instances(service)[0] : await LeaderAsync(platform.Instances(service), database, service, lease);
            output.WriteLine($"killing {service} pid {victim.Pid}");
            await victim.KillAsync();
        }

        // Later assertions name the first identity instance as the one killed.
        Assert.True(platform.Instances("identity")[0].HasExited);
    }

    private static async Task<ServiceProcess> LeaderAsync(IReadOnlyList<ServiceProcess> instances, string database, string schema, string lease)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT holder FROM {schema}.leases WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", lease);
        var holder = (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no {schema} lease {lease}");
        // The holder is machine:process id:random.
        var pid = int.Parse(holder.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        return instances.Single(i => i.Pid == pid);
    }

    /// <summary>Registers a resident through the gateway; a failed request is sent again with the same command id.</summary>
    private static async Task<string> RegisterAsync(HttpClient registry, string community)
    {
        var body = People.ResidentOf(community);
        await RetryAsync(async () =>
        {
            var (status, answer) = await registry.PostAsync("/api/v1/persons", body);
            return status is 201 or 200 ? true : status is 502 or 503 ? false : throw new InvalidOperationException($"{status} {answer}");
        });
        return (string)body["idNumber"]!;
    }

    /// <summary>Submits a birth through the gateway; a form whose answer was lost is submitted again (a second form).</summary>
    private static async Task<(Guid, string)> SubmitBirthAsync(HttpClient desk, string mother, int n)
    {
        var birth = CityDate.Today.AddDays(-1 - n);
        var child = IdentityNumber.Create("320205", birth, 3);
        var form = Guid.Empty;
        await RetryAsync(async () =>
        {
            var (status, answer) = await desk.PostAsync("/api/v1/forms", new
            {
                formType = "birth",
                submit = true,
                data = new Dictionary<string, string>
                {
                    ["idNumber"] = child, ["name"] = "陈小宝", ["sex"] = "1", ["birthDate"] = CityDate.Text(birth), ["ethnicity"] = "01",
                    ["motherIdNumber"] = mother,
                },
            });
            if (status == 201)
            {
                form = Guid.Parse((string)answer["id"]!);
                return true;
            }

            return status is 502 or 503 ? false : throw new InvalidOperationException($"{status} {answer}");
        });
        return (form, child);
    }

    private static async Task RetryAsync(Func<Task<bool>> attempt)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if (await attempt())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < until)
            {
                // The instance died under the request: sent again.
            }

            Assert.True(DateTime.UtcNow < until, "no instance answered within 30 s");
            await Task.Delay(100);
        }
    }

    private static async Task<Dictionary<Guid, string>> AnswersAsync(HttpClient desk, IEnumerable<Guid> forms)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var states = new Dictionary<Guid, string>();
        foreach (var id in forms)
        {
            while (true)
            {
                var (status, form) = await desk.GetJsonAsync($"/api/v1/forms/{id}");
                Assert.Equal(200, status);
                states[id] = (string)form["state"]!;
                if (states[id] != "submitted" || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(200);
            }
        }

        return states;
    }

    private sealed record Department(Uri Queue, string Name);

    /// <summary>A department hearing of registrations and births in the community, with the identity number, on its queue.</summary>
    private static async Task<Department> SubscribeDepartmentAsync(Uri exchange, string community, Uri broker)
    {
        using var admin = new HttpClient { BaseAddress = exchange };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        var code = $"police-{Guid.NewGuid().ToString("N")[..6]}";
        var (created, department) = await admin.PostAsync("/api/v1/departments",
            new { code, name = "public security bureau", contact = "duty desk", inboundKinds = Array.Empty<string>() });
        Assert.True(created == 201, $"{created} {department}");
        var (subscribed, subscription) = await admin.PostAsync($"/api/v1/departments/{code}/subscriptions",
            new { changeTypes = new[] { "registered", "born" }, regions = new[] { community }, fields = new[] { "idNumber" }, purpose = "Residents' identity cards." });
        Assert.True(subscribed == 201, $"{subscribed} {subscription}");
        var amqp = department["credentials"]!["amqp"]!;
        return new Department(DepartmentQueue.As(broker, (string)amqp["user"]!, (string)amqp["password"]!), (string)amqp["queue"]!);
    }

    /// <summary>The desk's client-credentials token from the identity provider at <paramref name="identity"/>.</summary>
    private static async Task<string> ClientTokenAsync(Uri identity)
    {
        using var http = new HttpClient { BaseAddress = identity };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "popinfo-collection", ["client_secret"] = TestIssuer.ServiceSecret,
            ["scope"] = "registry.read",
        }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return (string)body["access_token"]!;
    }

    /// <summary>Validates the token as a service does: issuer and keys from the discovery document at <paramref name="identity"/>.</summary>
    private static async Task AssertAcceptedAsync(string token, Uri identity)
    {
        using var http = new HttpClient { BaseAddress = identity };
        var discovery = JsonNode.Parse(await http.GetStringAsync("/.well-known/openid-configuration"))!;
        var keys = new JsonWebKeySet(await http.GetStringAsync(new Uri((string)discovery["jwks_uri"]!).PathAndQuery));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = (string)discovery["issuer"]!,
            ValidAudience = "popinfo-registry",
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(identity.ToString(), (string)discovery["issuer"]!);
    }
}
