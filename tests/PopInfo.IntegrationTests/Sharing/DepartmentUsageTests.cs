using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Sharing;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.Sharing;
using PopInfo.Sharing.Audit;
using PopInfo.Sharing.Grants;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// A department's daily quota and rate limit, decided in memory and counted in the database with the access audit's
/// commit (ADR 0003 decision 7), on PostgreSQL and SQLite: all or none per request, counted only when the request's audit
/// rows are stored, exact under concurrent requests, a new count at midnight in China (16:00 UTC), what another instance
/// committed seen once the count is read again, and refused requests' hits written too.
/// </summary>
public sealed class DepartmentUsageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Items_count_all_or_none_within_the_quota_of_the_China_day_when_their_audit_commits(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        // 23:59:59 in China on 6 December.
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 6, 15, 59, 59, TimeSpan.Zero));
        var usage = SharingDatabase.Usage(database.Database, clock);
        await using var audit = AccessAuditTests.Start(new AccessAuditStore(database.Database, new QuotaStore(database.Database)), usage: usage);

        Assert.True((await ConsumeAsync(usage, audit, 4, quota: 10)).Allowed);
        Assert.Equal(4, await UsedAsync(database));
        var refused = await ConsumeAsync(usage, audit, 7, quota: 10);
        Assert.False(refused.Allowed);
        Assert.Equal((4L, 10, 1, new DateOnly(2026, 12, 6)), (refused.Used, refused.Quota!.Value, refused.RetryAfterSeconds, refused.Day));

        // A request that ends before its audit (its read failed, or it was cancelled) gives its items back.
        var abandoned = await usage.TryReserveAsync("dept-school", 6, 10, CancellationToken.None);
        Assert.True(abandoned.Allowed);
        Assert.False((await usage.TryReserveAsync("dept-school", 1, 10, CancellationToken.None)).Allowed);
        usage.Release(abandoned.Reservation);

        // A request whose audit could not be stored counts nothing.
        audit.BeforeWrite = (_, _) => throw new InvalidOperationException("the audit write fails");
        await Assert.ThrowsAsync<AccessAuditUnavailableException>(() => ConsumeAsync(usage, audit, 3, quota: 10));
        audit.BeforeWrite = null;
        Assert.Equal(4, await UsedAsync(database));

        var last = await ConsumeAsync(usage, audit, 6, quota: 10);
        Assert.Equal((true, 10L), (last.Allowed, last.Used));
        Assert.False((await ConsumeAsync(usage, audit, 1, quota: 10)).Allowed);
        Assert.Equal(10, await UsedAsync(database));

        // Midnight in China: a new day, a new count; the old day's row stays as it was.
        clock.Now = new DateTimeOffset(2026, 12, 6, 16, 0, 0, TimeSpan.Zero);
        var nextDay = await ConsumeAsync(usage, audit, 3, quota: 10);
        Assert.Equal((true, 3L, new DateOnly(2026, 12, 7)), (nextDay.Allowed, nextDay.Used, nextDay.Day));
        var days = await DaysAsync(database);
        Assert.Equal([10L, 3L], days);
        var tooMany = await ConsumeAsync(usage, audit, 8, quota: 10);
        Assert.Equal(24 * 3600, tooMany.RetryAfterSeconds);
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Concurrent_requests_never_pass_the_quota(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var usage = SharingDatabase.Usage(database.Database, TimeProvider.System);
        await using var audit = AccessAuditTests.Start(new AccessAuditStore(database.Database, new QuotaStore(database.Database)), usage: usage);

        // 60 requests of one item and 10 of three, at once: exactly as many as fit are allowed, and counted.
        var decisions = await Task.WhenAll(Enumerable.Range(0, 70).Select(i => Task.Run(() => ConsumeAsync(usage, audit, i < 60 ? 1 : 3, quota: 30))));
        Assert.Equal(30, await UsedAsync(database));
        Assert.Equal(30, decisions.Select((d, i) => d.Allowed ? (i < 60 ? 1 : 3) : 0).Sum());
        Assert.Equal(30, decisions.Where(d => d.Allowed).Max(d => d.Used));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.True(d.Used <= 30));
        Assert.Equal(decisions.Count(d => d.Allowed), await database.ScalarAsync("SELECT COUNT(DISTINCT request_id) FROM access_audit"));
    }

    [Fact]
    public async Task Another_instances_counts_are_seen_once_read_again()
    {
        await using var database = await SharingDatabase.CreateAsync(SharingDatabase.PostgreSql);
        var options = new SharingOptions { CountsFreshFor = TimeSpan.Zero };
        var first = SharingDatabase.Usage(database.Database, TimeProvider.System, options);
        var second = SharingDatabase.Usage(database.Database, TimeProvider.System, options);
        await using var firstAudit = AccessAuditTests.Start(new AccessAuditStore(database.Database, new QuotaStore(database.Database)), options, first);
        await using var secondAudit = AccessAuditTests.Start(new AccessAuditStore(database.Database, new QuotaStore(database.Database)), options, second);

        Assert.True((await ConsumeAsync(second, secondAudit, 1, quota: 10)).Allowed);
        Assert.True((await ConsumeAsync(first, firstAudit, 6, quota: 10)).Allowed);
        // The second instance saw 1 used; reading again it sees the first's 6 as well.
        var refused = await ConsumeAsync(second, secondAudit, 4, quota: 10);
        Assert.Equal((false, 7L), (refused.Allowed, refused.Used));
        Assert.True((await ConsumeAsync(second, secondAudit, 3, quota: 10)).Allowed);
        Assert.Equal(10, await UsedAsync(database));

        // Rate windows likewise: two hits at the first, the second's third is over a limit of 2. The windows are the clock's
        // minutes: the hits start well inside one, or the third could fall into the next window (it once did: allowed).
        await Eventually.TrueAsync(() => Task.FromResult(DateTimeOffset.UtcNow.Second < 45), TimeSpan.FromSeconds(20), "a minute with 15 s left");
        Assert.True((await first.HitAsync("dept-school", 2, CancellationToken.None)).Allowed);
        Assert.True((await first.HitAsync("dept-school", 2, CancellationToken.None)).Allowed);
        firstAudit.Nudge();
        await Eventually.TrueAsync(async () => await HitsAsync(database) == 2, Patience, "the first instance's hits written");
        var limited = await second.HitAsync("dept-school", 2, CancellationToken.None);
        Assert.False(limited.Allowed);
        Assert.Equal("sharing.requests", limited.Limit);
        Assert.InRange(limited.RetryAfterSeconds, 1, 60);
    }

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task Every_hit_is_written_the_refused_ones_too(string provider)
    {
        await using var database = await SharingDatabase.CreateAsync(provider);
        var usage = SharingDatabase.Usage(database.Database, TimeProvider.System);
        await using var audit = AccessAuditTests.Start(new AccessAuditStore(database.Database, new QuotaStore(database.Database)), usage: usage);

        var decisions = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            decisions.Add((await usage.HitAsync("dept-school", 3, CancellationToken.None)).Allowed);
        }

        Assert.Equal([true, true, true, false, false], decisions);
        // Written with the next commit: here a nudge (refused requests have no audit rows to go with).
        audit.Nudge();
        await Eventually.TrueAsync(async () => await HitsAsync(database) == 5, Patience, "five hits written");
        Assert.Equal(0, await database.ScalarAsync("SELECT COUNT(*) FROM access_audit"));
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
        await SharingRefusals.QuotaExceeded(decision).ToResult().ExecuteAsync(http);

        Assert.Equal(429, http.Response.StatusCode);
        Assert.Equal("28800", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var problem = (await JsonNode.ParseAsync(http.Response.Body))!;
        Assert.Equal(("quota.daily", "2026-12-06", 4998, 5000), ((string)problem["rule"]!, (string)problem["day"]!, (int)problem["used"]!, (int)problem["dailyQuota"]!));
    }

    /// <summary>What an operation does: reserve the items, then (allowed) write one audit row per item with the reservation.</summary>
    private static async Task<QuotaDecision> ConsumeAsync(DepartmentUsage usage, AccessAudit audit, int items, int quota)
    {
        var decision = await usage.TryReserveAsync("dept-school", items, quota, CancellationToken.None);
        if (decision.Allowed)
        {
            try
            {
                await audit.WriteAsync(AccessAuditTests.Entries(items), decision.Reservation, CancellationToken.None).WaitAsync(Patience);
            }
            finally
            {
                usage.Release(decision.Reservation);
            }
        }

        return decision;
    }

    private static Task<long> UsedAsync(SharingDatabase database) =>
        database.ScalarAsync("SELECT COALESCE(SUM(used), 0) FROM quota_days WHERE client_id = 'dept-school'");

    private static async Task<long[]> DaysAsync(SharingDatabase database)
    {
        await using var connection = await database.Database.OpenConnectionAsync();
        return [.. await Dapper.SqlMapper.QueryAsync<long>(connection, "SELECT used FROM quota_days WHERE client_id = 'dept-school' ORDER BY day")];
    }

    private static Task<long> HitsAsync(SharingDatabase database) =>
        database.ScalarAsync("SELECT COALESCE(SUM(hits), 0) FROM rate_limit_windows WHERE limit_name = 'sharing.requests'");

    /// <summary>A clock the test sets.</summary>
    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
