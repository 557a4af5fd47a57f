using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// The sources' audit search on SQLite (the embedded host): each service answers the monitoring client's search and chain
/// question with its own database's SQL; the registry lists a person's registration and read, and audits the search.
/// </summary>
public sealed class EmbeddedAuditSearchTests
{
    [Fact]
    public async Task Every_source_answers_on_sqlite()
    {
        await using var platform = new EmbeddedPlatform();
        await AnalyticsCaughtUpAsync(platform);
        using var registry = platform.ClientOf(5101);
        var body = People.ResidentOf(RegionCatalogue.Wuxi.Communities[0].Code);
        var (created, person) = await registry.PostAsync("/api/v1/persons", body);
        Assert.Equal(201, created);
        var personId = Guid.Parse((string)person["personId"]!);
        Assert.Equal(200, (await registry.GetJsonAsync($"/api/v1/persons/{personId}")).Status);
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var to = DateTimeOffset.UtcNow.AddSeconds(1);

        foreach (var (port, scope, service) in new[]
                 {
                     (5101, PlatformScopes.RegistryAuditSearch, "registry"), (5102, PlatformScopes.CollectionAuditSearch, "collection"),
                     (5103, PlatformScopes.ExchangeAuditSearch, "exchange"), (5104, PlatformScopes.SharingAuditSearch, "sharing"),
                 })
        {
            using var client = platform.ClientOf(port);
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([scope], "popinfo-monitoring"));
            var (status, page) = await client.PostAsync("/api/v1/audit/search", new { personId, from, to, onBehalfOf = "auditor-wu" });
            Assert.True(status == 200, $"{service}: {status} {page}");
            Assert.Equal(service, (string)page["service"]!);
            var entries = page["entries"]!.AsArray().Select(e => $"{e!["actor"]}|{e["action"]}").ToList();
            if (service == "registry")
            {
                Assert.Equal(["client:popinfo-tests|change.registered", "popinfo-tests|person.get"], entries);
                Assert.Equal(personId, Guid.Parse((string)page["personId"]!));
            }
            else
            {
                Assert.Empty(entries);
            }

            var (chained, chains) = await client.GetJsonAsync("/api/v1/audit/chains");
            Assert.Equal(200, chained);
            Assert.All(chains["chains"]!.AsArray(), c => Assert.True((bool)c!["intact"]!, c.ToJsonString()));
        }

        // The registry's search was audited: a second one (without a person, by action) finds it, the auditor named.
        using var again = platform.ClientOf(5101);
        again.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([PlatformScopes.RegistryAuditSearch], "popinfo-monitoring"));
        var (_, audits) = await again.PostAsync("/api/v1/audit/search", new { action = "audit.search", from, to = DateTimeOffset.UtcNow.AddSeconds(1), onBehalfOf = "auditor-wu" });
        Assert.Equal(["for client:popinfo-monitoring for auditor:auditor-wu; 2 entries"], audits["entries"]!.AsArray().Select(e => (string)e!["reason"]!));
    }

    /// <summary>
    /// Until the analytics projection is ready: its catch-up read of the registry's feed (audited as <c>changes.read</c>) is then
    /// behind it, and cannot fall after the person's registration (which it would hold) when the host starts slowly.
    /// </summary>
    private static async Task AnalyticsCaughtUpAsync(EmbeddedPlatform platform)
    {
        using var analytics = platform.ClientOf(5105);
        analytics.DefaultRequestHeaders.Authorization = new("Bearer", TestIssuer.Shared.Token([PlatformScopes.AnalyticsRead], audiences: [PlatformScopes.Audience("analytics")]));
        var until = DateTime.UtcNow.AddSeconds(60);
        var last = "";
        while (DateTime.UtcNow < until)
        {
            var (status, body) = await analytics.GetJsonAsync("/api/v1/projection/status");
            last = $"{status} {body}";
            if (status == 200 && (bool)body["ready"]!)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The analytics projection was not ready within 60 s: {last}");
    }
}
