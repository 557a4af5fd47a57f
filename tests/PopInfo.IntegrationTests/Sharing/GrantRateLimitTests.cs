using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>A department's requests a minute are limited by its own grant (<c>requestsPerMinute</c>), each department apart.</summary>
public sealed class GrantRateLimitTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    [Fact]
    public async Task The_grants_rate_limit_answers_429_naming_it_and_counts_each_department_apart()
    {
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        fixture.StartSharing();
        await fixture.CaughtUpAsync();
        object Grant(int perMinute) => new
        {
            operations = new[] { "verify" }, fields = new Dictionary<string, string>(), regions = new[] { "320200" }, purposes = new[] { "school-enrolment" },
            requestsPerMinute = perMinute, dailyQuota = 1000, mayTellNotFound = false,
        };
        await fixture.GrantAsync("edu", Grant(2));
        await fixture.GrantAsync("hosp", Grant(100));
        var question = new { idNumber = person.IdNumber, name = person.Name, purpose = "school-enrolment", caseReference = "2026-0001" };

        using var edu = fixture.Sharing!.CreateDepartmentClient("edu");
        for (var i = 0; i < 2; i++)
        {
            var answer = await edu.PostAsJsonAsync("/api/v1/verify", question);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("match", (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["outcome"]);
        }

        using var refused = await edu.PostAsJsonAsync("/api/v1/verify", question);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("rate.limit", (string?)problem["rule"]);
        Assert.Equal("sharing.requests", (string?)problem["limit"]);
        Assert.NotNull(refused.Headers.RetryAfter);

        // Another department's limit is its own.
        using var hospital = fixture.Sharing.CreateDepartmentClient("hosp");
        Assert.Equal(HttpStatusCode.OK, (await hospital.PostAsJsonAsync("/api/v1/verify", question)).StatusCode);
    }
}
