using System.Net;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.EndToEndTests;

/// <summary>
/// The collection desk and the registry as separate processes on PostgreSQL and RabbitMQ: forms
/// submitted while RabbitMQ restarts and while the registry is killed all reach the register, each
/// applied exactly once.
/// </summary>
public sealed class DeskTransmissionTests
{
    private const int Forms = 60;

    [Fact]
    public async Task Forms_survive_a_broker_restart_and_a_registry_crash_and_are_applied_exactly_once()
    {
        Assert.False(TestInfrastructure.DockerAvailable, "This test restarts the local broker with rabbitmqctl.");
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var broker = await TestInfrastructure.CreateVirtualHostAsync();
        var community = RegionCatalogue.Wuxi.Communities[0].Code;
        await using (var registry = ServiceProcess.Registry(database, broker))
        {
            await registry.StartAsync();
            await using var collection = ServiceProcess.Collection(database, broker, registry.BaseAddress);
            await collection.StartAsync();
            using var registryHttp = ServiceProcess.RegistryClient(registry.BaseAddress);
            using var desk = await SignInCollectorAsync(collection, community);

            var mothers = new List<string>();
            for (var i = 0; i < Forms; i++)
            {
                var mother = People.ResidentOf(community);
                Assert.Equal(201, (await registryHttp.PostAsync("/api/v1/persons", mother)).Status);
                mothers.Add((string)mother["idNumber"]!);
            }

            var formIds = new List<Guid>();
            var brokerStopped = false;
            try
            {
                for (var i = 0; i < Forms; i++)
                {
                    if (i == Forms / 3)
                    {
                        brokerStopped = true;
                        await LocalBroker.RabbitMqCtlAsync("stop_app");
                    }

                    if (i == (Forms / 3) + 10)
                    {
                        await LocalBroker.RabbitMqCtlAsync("start_app");
                        brokerStopped = false;
                    }

                    if (i == 2 * Forms / 3)
                    {
                        await registry.KillAsync();
                    }

                    var (status, form) = await desk.PostAsync("/api/v1/forms", Birth(mothers[i], i));
                    Assert.True(status == 201, $"form {i}: {status} {form}");
                    formIds.Add(Guid.Parse((string)form["id"]!));
                }
            }
            finally
            {
                // A failure while the broker was stopped must not leave it stopped for the tests that follow.
                if (brokerStopped)
                {
                    await LocalBroker.RabbitMqCtlAsync("start_app");
                }
            }

            await registry.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            var states = new Dictionary<Guid, string>();
            foreach (var id in formIds)
            {
                while (true)
                {
                    var (_, form) = await desk.GetJsonAsync($"/api/v1/forms/{id}");
                    states[id] = (string)form["state"]!;
                    if (states[id] != "submitted" || DateTime.UtcNow > deadline)
                    {
                        break;
                    }

                    await Task.Delay(200);
                }
            }

            Assert.All(states.Values, s => Assert.Equal("accepted", s));
            // Exactly once: one birth in the register per form, whatever was redelivered.
            var (_, changes) = await registryHttp.GetJsonAsync("/api/v1/changes?after=0&limit=1000");
            Assert.Equal(Forms, changes["changes"]!.AsArray().Count(c => (string)c!["changeType"]! == "born"));
        }

        await TestInfrastructure.DropDatabaseAsync(database);
        await TestInfrastructure.DeleteVirtualHostAsync(broker);
    }

    private static object Birth(string motherIdNumber, int n)
    {
        var birth = CityDate.Today.AddDays(-1 - n);
        return new
        {
            formType = "birth",
            submit = true,
            data = new Dictionary<string, string>
            {
                ["idNumber"] = IdentityNumber.Create("320205", birth, 1),
                ["name"] = "陈小宝",
                ["sex"] = "1",
                ["birthDate"] = birth.ToString("yyyy-MM-dd"),
                ["ethnicity"] = "01",
                ["motherIdNumber"] = motherIdNumber,
            },
        };
    }

    /// <summary>A collector of the community signed in at the desk process through the tests' issuer, as a browser does.</summary>
    private static Task<HttpClient> SignInCollectorAsync(ServiceProcess collection, string community) =>
        DeskSignIn.SignInAsync(
            new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = collection.BaseAddress },
            TestIssuer.Shared.People.Add(new TestPerson("e2e-collector", "测试", "collector", community)));
}
