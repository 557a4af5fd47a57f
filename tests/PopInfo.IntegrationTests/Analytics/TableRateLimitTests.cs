using System.Net;
using System.Text.Json.Nodes;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>A planner's tables are limited per caller (<c>analytics.tables</c>), counted in the service's database.</summary>
public sealed class TableRateLimitTests(AnalyticsFixture fixture) : IClassFixture<AnalyticsFixture>
{
    [Fact]
    public async Task The_limit_answers_429_naming_it_and_counts_each_caller_apart()
    {
        fixture.StartAnalytics(new Dictionary<string, string?> { ["PopInfo:RateLimits:AnalyticsTables:PermitLimit"] = "3" });
        await fixture.CaughtUpAsync();
        using var planner = fixture.Analytics!.CreatePlannerClient();
        for (var i = 0; i < 3; i++)
        {
            using var answer = await planner.GetAsync("/api/v1/tables?rows=sex");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            // The service's own share of the answer's time (what the benchmark sets beside the round trip).
            Assert.Matches(@"^app;dur=\d+\.\d$", Assert.Single(answer.Headers.GetValues("Server-Timing")));
        }

        using var refused = await planner.GetAsync("/api/v1/indicators");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "Retry-After is set");
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("analytics.tables", (string?)problem["limit"]);

        // Another planner (another subject of the same client) has a counter of its own.
        using var other = fixture.Analytics.CreateClient();
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PopInfo.ServiceDefaults.Security.PlatformScopes.AnalyticsRead], subject: "another-planner"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/tables?rows=sex")).StatusCode);
    }
}
