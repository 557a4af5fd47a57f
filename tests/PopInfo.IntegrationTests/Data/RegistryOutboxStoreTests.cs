using System.Data.Common;
using PopInfo.Contracts.Registry;
using PopInfo.IntegrationTests.Leases;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// The registry-command outbox's own SQL on each engine (the desk's database; the exchange's table is the same,
/// SharedTableTests): an answered command leaves the outbox, and the reconciliation sends again only overdue commands,
/// those sent longest ago first, and at most <see cref="RegistryOutboxOptions.ResendAtMost"/> at a time.
/// </summary>
public sealed class RegistryOutboxStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Providers => [MigratedDatabase.PostgreSql, MigratedDatabase.Sqlite];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Overdue_commands_are_reopened_oldest_first_and_no_more_than_the_limit_at_a_time(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync("collection", provider);
        var store = new RegistryOutboxStore(database.Database);
        var fence = await TestLeases.HeldFenceAsync(database.Database);
        // Four sent once an hour ago; one sent three hours ago and again three minutes ago (its wait is now four minutes).
        var hourAgo = await EnqueueAsync(store, 4);
        var sentTwice = await EnqueueAsync(store, 1);
        await store.MarkSentAsync(await SeqsAsync(database, hourAgo), Now.AddHours(-1), fence, CancellationToken.None);
        await store.MarkSentAsync(await SeqsAsync(database, sentTwice), Now.AddHours(-3), fence, CancellationToken.None);
        await store.MarkSentAsync(await SeqsAsync(database, sentTwice), Now.AddMinutes(-3), fence, CancellationToken.None);
        var options = new RegistryOutboxOptions { ResendAtMost = 3 };

        Assert.Equal(3, await store.ReopenUnansweredAsync(Now, options, CancellationToken.None));
        Assert.Equal(hourAgo[..3], (await store.UnsentAsync(10, CancellationToken.None)).Select(c => c.CommandId));

        // The next look takes the one left over; the command sent three minutes ago is not due.
        Assert.Equal(1, await store.ReopenUnansweredAsync(Now, options, CancellationToken.None));
        Assert.Equal(hourAgo, (await store.UnsentAsync(10, CancellationToken.None)).Select(c => c.CommandId));
        Assert.Equal(0, await store.ReopenUnansweredAsync(Now, options, CancellationToken.None));
        Assert.Equal(1, await store.ReopenUnansweredAsync(Now.AddMinutes(1), options, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_answer_takes_its_command_out_of_the_outbox_and_a_repeated_one_changes_nothing(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync("collection", provider);
        var store = new RegistryOutboxStore(database.Database);
        var commands = await EnqueueAsync(store, 2);
        await store.MarkSentAsync(await SeqsAsync(database, commands), Now, await TestLeases.HeldFenceAsync(database.Database), CancellationToken.None);
        var sender = new CountingSender();
        var answer = new RegistryCommandAnswered { CommandId = commands[0], Source = "desk:320205001001", CommandType = "register-person", Applied = true, Status = 201, AnsweredAt = Now };

        await store.RecordAnswerAsync(answer, sender, CancellationToken.None);
        await store.RecordAnswerAsync(answer, sender, CancellationToken.None);

        Assert.Equal(1, await database.ScalarAsync("SELECT COUNT(*) FROM registry_command_outbox"));
        Assert.Equal(0, await database.ScalarAsync("SELECT COUNT(*) FROM registry_command_outbox WHERE command_id = @id", new { id = commands[0] }));
        Assert.Equal(2, sender.Recorded);
        var (unsent, unanswered) = await store.BacklogAsync(CancellationToken.None);
        Assert.Equal(0, unsent.Waiting);
        Assert.Equal(1, unanswered.Waiting);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(40, 30)]
    public void The_wait_for_an_answer_doubles_with_each_send_up_to_the_longest(int sends, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), RegistryOutboxStore.ResendWait(sends, new RegistryOutboxOptions()));

    private static async Task<Guid[]> EnqueueAsync(RegistryOutboxStore store, int count)
    {
        var ids = new Guid[count];
        await using var connection = await store.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            ids[i] = Guid.NewGuid();
            await RegistryOutboxStore.EnqueueStoredAsync(connection, transaction, ids[i], "register-person", "{}", Now.AddHours(-4), CancellationToken.None);
        }

        await transaction.CommitAsync();
        return ids;
    }

    private static async Task<long[]> SeqsAsync(MigratedDatabase database, IEnumerable<Guid> commandIds)
    {
        var seqs = new List<long>();
        foreach (var id in commandIds)
        {
            seqs.Add(await database.ScalarAsync("SELECT seq FROM registry_command_outbox WHERE command_id = @id", new { id }));
        }

        return [.. seqs];
    }

    /// <summary>A sender that only counts the answers it is given.</summary>
    private sealed class CountingSender : RegistryAnswerStore
    {
        public int Recorded { get; private set; }

        public override string Service => "collection";

        public override Task RecordAsync(DbConnection connection, DbTransaction transaction, RegistryCommandAnswered answer, CancellationToken ct)
        {
            Recorded++;
            return Task.CompletedTask;
        }
    }
}
