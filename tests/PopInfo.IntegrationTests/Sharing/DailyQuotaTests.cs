using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Sharing;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.Sharing.Grants;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The daily quota counted in the database, on PostgreSQL and SQLite: all or none per request, exact under concurrent
/// requests, a new count at midnight in China (16:00 UTC), refused without an active grant, and the seconds to that midnight.
/// </summary>
public sealed class DailyQuotaTests
{
    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Items_count_all_or_none_within_the_quota_of_the_China_day(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        // 23:59:59 in China on 6 December.
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 6, 15, 59, 59, TimeSpan.Zero));
        var quota = new DailyQuota(new QuotaStore(database.Database), clock);
        await AddGrantAsync(database, "dept-school", dailyQuota: 10);

        Assert.True((await quota.TryConsumeAsync("dept-school", 4, CancellationToken.None)).Allowed);
        var refused = await quota.TryConsumeAsync("dept-school", 7, CancellationToken.None);
        Assert.False(refused.Allowed);
        Assert.Equal((4L, 10, 1, new DateOnly(2026, 12, 6)), (refused.Used, refused.Quota!.Value, refused.RetryAfterSeconds, refused.Day));
        var last = await quota.TryConsumeAsync("dept-school", 6, CancellationToken.None);
        Assert.Equal((true, 10L), (last.Allowed, last.Used));
        Assert.False((await quota.TryConsumeAsync("dept-school", 1, CancellationToken.None)).Allowed);
        Assert.Equal((10L, 0L), await UsageAsync(quota, "dept-school"));

        // Midnight in China: a new day, a new count; the old day's row stays as it was.
        clock.Now = new DateTimeOffset(2026, 12, 6, 16, 0, 0, TimeSpan.Zero);
        var nextDay = await quota.TryConsumeAsync("dept-school", 3, CancellationToken.None);
        Assert.Equal((true, 3L, new DateOnly(2026, 12, 7)), (nextDay.Allowed, nextDay.Used, nextDay.Day));
        Assert.Equal(13, await database.ScalarAsync("SELECT SUM(used) FROM quota_days WHERE client_id = 'dept-school'"));
        var tooMany = await quota.TryConsumeAsync("dept-school", 8, CancellationToken.None);
        Assert.Equal(24 * 3600, tooMany.RetryAfterSeconds);

        // No grant, or a suspended one: refused, nothing counted.
        var none = await quota.TryConsumeAsync("dept-unknown", 1, CancellationToken.None);
        Assert.Equal((false, (int?)null), (none.Allowed, none.Quota));
        await database.ExecuteAsync("UPDATE grants SET status = 'suspended' WHERE client_id = 'dept-school'");
        var suspended = await quota.TryConsumeAsync("dept-school", 1, CancellationToken.None);
        Assert.Equal((false, (int?)null, 3L), (suspended.Allowed, suspended.Quota, suspended.Used));
        Assert.Equal(13, await database.ScalarAsync("SELECT SUM(used) FROM quota_days"));
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Concurrent_requests_never_pass_the_quota(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var quota = new DailyQuota(new QuotaStore(database.Database), TimeProvider.System);
        await AddGrantAsync(database, "dept-busy", dailyQuota: 30);

        // 60 requests of one item and 10 of three, at once: exactly as many as fit are allowed.
        var decisions = await Task.WhenAll(Enumerable.Range(0, 70).Select(i => Task.Run(() => quota.TryConsumeAsync("dept-busy", i < 60 ? 1 : 3, CancellationToken.None))));
        var counted = await database.ScalarAsync("SELECT used FROM quota_days WHERE client_id = 'dept-busy'");
        Assert.Equal(30, counted);
        Assert.Equal(30, decisions.Select((d, i) => d.Allowed ? (i < 60 ? 1 : 3) : 0).Sum());
        Assert.Equal(30, decisions.Where(d => d.Allowed).Max(d => d.Used));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.True(d.Used <= 30));
    }

    [Fact]
    public void The_seconds_to_the_next_China_midnight()
    {
        Assert.Equal(8 * 3600, DailyQuota.SecondsToNextDay(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1, DailyQuota.SecondsToNextDay(new DateTimeOffset(2026, 12, 6, 15, 59, 59, 500, TimeSpan.Zero)));
        Assert.Equal(GrantRules.DailyQuota, DailyQuota.Rule);
    }

    [Fact]
    public async Task A_refusal_answers_429_naming_the_rule_with_Retry_After_until_midnight_in_China()
    {
        var decision = new QuotaDecision("dept-school", new DateOnly(2026, 12, 6), false, 4998, 5000, 28_800);
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await decision.ToProblem().ToResult().ExecuteAsync(http);

        Assert.Equal(429, http.Response.StatusCode);
        Assert.Equal("28800", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var problem = (await JsonNode.ParseAsync(http.Response.Body))!;
        Assert.Equal(("quota.daily", "2026-12-06", 4998, 5000), ((string)problem["rule"]!, (string)problem["day"]!, (int)problem["used"]!, (int)problem["dailyQuota"]!));
    }

    private static async Task<(long Used, long Remaining)> UsageAsync(DailyQuota quota, string clientId)
    {
        var usage = await quota.UsageAsync(clientId, CancellationToken.None);
        return (usage!.Used, usage.Remaining);
    }

    private static Task AddGrantAsync(SharingDatabase database, string clientId, int dailyQuota) => database.ExecuteAsync(
        "INSERT INTO grants (client_id, operations, fields, regions, purposes, requests_per_minute, daily_quota, may_tell_not_found, status, version, updated_at, updated_by) " +
        $"VALUES ('{clientId}', '[\"verify\"]', '{{}}', '[\"320200\"]', '[\"school-enrolment\"]', 60, {dailyQuota}, {(database.Database.Dialect is PopInfo.ServiceDefaults.Data.PostgreSqlDialect ? "false" : "0")}, 'active', 1, '2026-12-06T00:00:00Z', 'test')");

    /// <summary>A clock the test sets.</summary>
    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
