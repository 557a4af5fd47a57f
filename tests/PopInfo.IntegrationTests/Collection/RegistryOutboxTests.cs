using System.Text.Json;
using Npgsql;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The registry-command outbox of the service defaults, as the desk runs it (ADR 0008): a row written before the typed
/// commands is still sent and answered, and a command that was sent but never answered is sent again. An answered
/// command leaves the outbox (its answer deletes the row, in the transaction that records it on the sender's row).
/// </summary>
public sealed class RegistryOutboxTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task A_version_1_row_left_in_the_outbox_by_the_upgrade_is_sent_applied_and_answered_back_to_the_desk()
    {
        var body = People.ResidentOf(fixture.CommunityA);
        var commandId = Guid.NewGuid();
        var legacy = new ApplyRegistryCommand
        {
            CommandId = commandId,
            CommandType = RegistryCommandTypes.RegisterPerson,
            Body = JsonSerializer.SerializeToElement(body, Json.Options),
            Source = $"desk:{fixture.CommunityA}",
            SentAt = DateTimeOffset.UtcNow,
        };

        await InsertAsync(commandId, "apply-registry-command", JsonSerializer.Serialize(legacy, Json.Options), sentAgo: null);

        await WaitSettledAsync(commandId);
        Assert.Equal(200, (await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{body["idNumber"]}")).Status);
    }

    [Fact]
    public async Task A_command_sent_but_never_answered_is_sent_again_and_applied_once()
    {
        var body = People.ResidentOf(fixture.CommunityA);
        var commandId = Guid.NewGuid();
        var command = JsonSerializer.Deserialize<RegisterPerson>(JsonSerializer.Serialize(body, Json.Options), Json.Options)! with
        {
            CommandId = commandId,
            Actor = $"desk:{fixture.CommunityA}",
        };
        var before = await fixture.ScalarAsync("SELECT COUNT(*) FROM registry.change_log");

        // As if handed to the broker an hour ago and lost on the way: sent once, no answer. Only a second send can bring
        // its answer, which takes it out of the outbox.
        await InsertAsync(commandId, command.CommandType, JsonSerializer.Serialize(command, Json.Options), sentAgo: TimeSpan.FromHours(1));

        await WaitSettledAsync(commandId);
        Assert.Equal(before + 1, await fixture.ScalarAsync("SELECT COUNT(*) FROM registry.change_log"));
    }

    private async Task InsertAsync(Guid commandId, string commandType, string message, TimeSpan? sentAgo)
    {
        // The desk runs (its migrations made the table, its relay reads it).
        _ = fixture.Desk.Services;
        await using var connection = new NpgsqlConnection(fixture.Database);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO collection.registry_command_outbox (command_id, command_type, message, queued_at, sent_at, sends)
            VALUES (@id, @type, @message, now(), @sent, @sends)
            """, connection);
        insert.Parameters.AddWithValue("id", commandId);
        insert.Parameters.AddWithValue("type", commandType);
        insert.Parameters.AddWithValue("message", message);
        insert.Parameters.Add(new NpgsqlParameter("sent", NpgsqlTypes.NpgsqlDbType.TimestampTz)
        {
            Value = sentAgo is { } ago ? DateTimeOffset.UtcNow - ago : DBNull.Value,
        });
        insert.Parameters.AddWithValue("sends", sentAgo is null ? 0 : 1);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>Waits for the registry's answer to take the command out of the outbox.</summary>
    private async Task WaitSettledAsync(Guid commandId) =>
        await PopInfo.IntegrationTests.Exchange.Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(fixture.Database);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT COUNT(*) FROM collection.registry_command_outbox WHERE command_id = @id", connection);
            read.Parameters.AddWithValue("id", commandId);
            return (long)(await read.ExecuteScalarAsync())! == 0;
        }, TimeSpan.FromSeconds(30), $"the answer to {commandId}");
}
