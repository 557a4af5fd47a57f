using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PopInfo.Domain.Regions;
using PopInfo.Sharing;
using PopInfo.Sharing.Grants;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The grants the operations read from memory (ADR 0003 decision 7): a change made through the same instance is seen at
/// the next read; one made through another instance once <see cref="SharingOptions.GrantsFreshFor"/> has passed, not before.
/// </summary>
public sealed class GrantCacheTests
{
    private static readonly SharingCaller Administrator = new("popinfo-admin", "popinfo-admin/admin.1", null);

    [Fact]
    public async Task A_change_is_seen_at_once_through_its_own_instance_and_within_the_fresh_time_through_another()
    {
        await using var database = await SharingDatabase.CreateAsync(SharingDatabase.PostgreSql);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new SharingOptions { GrantsFreshFor = TimeSpan.FromSeconds(5) });
        var store = new GrantStore(database.Database);
        var (here, elsewhere) = (new GrantCache(store, options, clock), new GrantCache(store, options, clock));
        var administration = new GrantService(store, here, RegionCatalogue.Wuxi, clock);
        var grant = new GrantRequest(["verify"], new Dictionary<string, string>(), ["320200"], ["school-enrolment"], 60, 100, false, null);
        Assert.True((await administration.PutAsync(Administrator, "dept-school", grant, GrantVersionCheck.None, CancellationToken.None)).Succeeded);
        Assert.Equal(GrantStatus.Active, (await here.GetAsync("dept-school", CancellationToken.None))!.Status);
        Assert.Equal(GrantStatus.Active, (await elsewhere.GetAsync("dept-school", CancellationToken.None))!.Status);

        Assert.True((await administration.SetStatusAsync(Administrator, "dept-school", active: false, GrantVersionCheck.None, CancellationToken.None)).Succeeded);
        Assert.Equal(GrantStatus.Suspended, (await here.GetAsync("dept-school", CancellationToken.None))!.Status);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(GrantStatus.Active, (await elsewhere.GetAsync("dept-school", CancellationToken.None))!.Status);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(GrantStatus.Suspended, (await elsewhere.GetAsync("dept-school", CancellationToken.None))!.Status);
    }
}
