using PopInfo.Exchange;
using PopInfo.Exchange.Projection;
using PopInfo.IntegrationTests.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.IntegrationTests.Leases;

/// <summary>
/// The services' own fenced writes (docs/architecture.md, "Several instances: single-active loops"), on PostgreSQL and
/// SQLite: with the fence of the lease's holder they write; with a fence another instance's take made stale (its holder
/// or its epoch no longer the lease's) they throw <see cref="LeaseLostException"/> and leave nothing written.
/// </summary>
public sealed class FencedWritesTests
{
    public static TheoryData<string> Providers => [MigratedDatabase.PostgreSql, MigratedDatabase.Sqlite];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_exchange_projectors_position_moves_only_with_the_holders_fence(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync(ExchangeModule.Name, provider);
        var fence = await TestLeases.HeldFenceAsync(database.Database, ChangeProjector.LeaseName);
        var store = new ProjectionStore(database.Database);

        foreach (var stale in Stale(fence))
        {
            await using var refused = await database.Database.BeginAsync(CancellationToken.None);
            await Assert.ThrowsAsync<LeaseLostException>(() => ProjectionStore.MoveAsync(refused, [], ChangeProjector.PositionName, 5, stale, CancellationToken.None));
        }

        Assert.Equal(0, await store.PositionAsync(ChangeProjector.PositionName, CancellationToken.None));
        await using (var work = await database.Database.BeginAsync(CancellationToken.None))
        {
            await ProjectionStore.MoveAsync(work, [], ChangeProjector.PositionName, 5, fence, CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(5, await store.PositionAsync(ChangeProjector.PositionName, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_registry_command_is_marked_sent_only_with_the_holders_fence(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync("collection", provider);
        var fence = await TestLeases.HeldFenceAsync(database.Database);
        var store = new RegistryOutboxStore(database.Database);
        await using (var connection = await database.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await RegistryOutboxStore.EnqueueStoredAsync(connection, transaction, Guid.NewGuid(), "register-person", "{}", DateTimeOffset.UtcNow, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var seqs = (await store.UnsentAsync(10, CancellationToken.None)).Select(c => c.Seq).ToArray();
        foreach (var stale in Stale(fence))
        {
            await Assert.ThrowsAsync<LeaseLostException>(() => store.MarkSentAsync(seqs, DateTimeOffset.UtcNow, stale, CancellationToken.None));
        }

        Assert.Single(await store.UnsentAsync(10, CancellationToken.None));
        await store.MarkSentAsync(seqs, DateTimeOffset.UtcNow, fence, CancellationToken.None);
        Assert.Empty(await store.UnsentAsync(10, CancellationToken.None));
    }

    // What a leader's fence looks like once another instance has taken the lease: another holder, or an older epoch.
    private static LeaseFence[] Stale(LeaseFence held) => [held with { Holder = "another-instance" }, held with { Epoch = held.Epoch - 1 }];
}
