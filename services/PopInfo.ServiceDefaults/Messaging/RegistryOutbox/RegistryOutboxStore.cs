using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

/// <summary>
/// The outbox of registry commands, one table shape (<c>registry_command_outbox</c>) in every service that sends them
/// (the desk, the exchange's inbound records): a command is written in the same transaction as what it stands for,
/// sent by <see cref="RegistryCommandRelay{TSender}"/> and settled — deleted — by the registry's answer
/// (<see cref="RegistryAnswerConsumer{TSender}"/>): every row is a command still unanswered. Its SQL, written once (ADR 0008).
/// </summary>
public sealed class RegistryOutboxStore(ServiceDatabase database)
{
    /// <summary>The <c>command_type</c> of a row written before the typed commands: a version-1 <see cref="ApplyRegistryCommand"/>.</summary>
    public const string Version1Type = "apply-registry-command";

    public ServiceDatabase Database { get; } = database;

    /// <summary>Adds a command, in the caller's transaction, with the trace context of the current activity (the request), if any.</summary>
    public static Task EnqueueAsync(DbConnection connection, DbTransaction transaction, RegistryCommand command, DateTimeOffset at, CancellationToken ct) =>
        EnqueueAsync(connection, transaction, command, JsonSerializer.Serialize(command, command.GetType(), Json.Options), at, ct);

    /// <summary>Adds a command whose JSON the caller has written already (and keeps beside it: an inbound record's), in the caller's transaction.</summary>
    public static Task EnqueueAsync(DbConnection connection, DbTransaction transaction, RegistryCommand command, string json, DateTimeOffset at, CancellationToken ct) =>
        InsertAsync(connection, transaction, command.CommandId!.Value, command.CommandType, json, at, ct);

    /// <summary>
    /// Adds a command kept as JSON elsewhere (an inbound record held for review), in the caller's transaction. A message of
    /// version 1 — JSON with a <c>body</c>, stored before the typed commands — is queued as such, and answered as such.
    /// </summary>
    public static Task EnqueueStoredAsync(DbConnection connection, DbTransaction transaction, Guid commandId, string commandType, string message,
        DateTimeOffset at, CancellationToken ct) =>
        InsertAsync(connection, transaction, commandId, IsVersion1(message) ? Version1Type : commandType, message, at, ct);

    /// <summary>Adds a command in the work's transaction (the desk's form, the exchange's inbound record: the change and its command commit together).</summary>
    public static Task EnqueueAsync(UnitOfWork work, RegistryCommand command, DateTimeOffset at, CancellationToken ct) =>
        EnqueueAsync(work.Connection, InTransaction(work), command, at, ct);

    /// <summary>Adds a command whose JSON the caller has written already, in the work's transaction.</summary>
    public static Task EnqueueAsync(UnitOfWork work, RegistryCommand command, string json, DateTimeOffset at, CancellationToken ct) =>
        EnqueueAsync(work.Connection, InTransaction(work), command, json, at, ct);

    /// <summary>Adds a command kept as JSON elsewhere, in the work's transaction (see the overload on a connection).</summary>
    public static Task EnqueueStoredAsync(UnitOfWork work, Guid commandId, string commandType, string message, DateTimeOffset at, CancellationToken ct) =>
        EnqueueStoredAsync(work.Connection, InTransaction(work), commandId, commandType, message, at, ct);

    private static DbTransaction InTransaction(UnitOfWork work) =>
        work.Transaction ?? throw new InvalidOperationException("A command is queued in the transaction of the change it carries; this work has none.");

    // A typed command's type is known: its JSON is not parsed again (a form's command is queued inside the collector's request).
    private static Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, Guid commandId, string commandType, string message,
        DateTimeOffset at, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO registry_command_outbox (command_id, command_type, message, traceparent, tracestate, queued_at, sends)
            VALUES (@commandId, @commandType, @message, @traceParent, @traceState, @at, 0)
            """,
            new
            {
                commandId,
                commandType,
                message,
                traceParent = OutboxTracing.CurrentTraceParent(),
                traceState = OutboxTracing.CurrentTraceState(),
                at,
            }, transaction, cancellationToken: ct));

    /// <summary>Whether stored command JSON is a version-1 <see cref="ApplyRegistryCommand"/> (its fields in a <c>body</c>).</summary>
    public static bool IsVersion1(string message) =>
        System.Text.Json.Nodes.JsonNode.Parse(message) is System.Text.Json.Nodes.JsonObject o && o.ContainsKey("body");

    /// <summary>The oldest commands not yet handed to the broker, read back into their records.</summary>
    public async Task<IReadOnlyList<OutboxCommand>> UnsentAsync(int limit, CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(UnsentSql(Database.Dialect), new { limit }, cancellationToken: ct));
        return [.. rows.Select(r => new OutboxCommand(r.Seq, r.CommandId, Read(r.CommandType, r.Message), r.TraceParent, r.TraceState))];
    }

    /// <summary>
    /// Marks commands handed to the broker (confirmed), counting the sends, fenced by the relay's lease in the same command
    /// and transaction: when another instance leads now, <see cref="LeaseLostException"/> and nothing marked (the commands
    /// go again; the registry applies a command id once).
    /// </summary>
    public async Task MarkSentAsync(long[] seqs, DateTimeOffset now, LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        await LeaseStore.WriteFencedAsync(connection, MarkSentSql(Database.Dialect), new DynamicParameters(new { now = now.ToUniversalTime(), seqs }), fence, ct);
    }

    /// <summary>
    /// Commands sent and not answered for longer than their wait (<see cref="RegistryOutboxOptions.ResendAfter"/>, doubling
    /// with each send up to <see cref="RegistryOutboxOptions.LongestResendWait"/>) are marked unsent, so the relay sends
    /// them again: the registry answers a repeat exactly as the first time, and applies nothing twice. At most
    /// <see cref="RegistryOutboxOptions.ResendAtMost"/> at a time, those sent longest ago first: after a long registry
    /// outage every command still waiting in its queue is overdue, and sending them all again would only double the
    /// queue the registry is working through. Returns how many.
    /// </summary>
    public async Task<int> ReopenUnansweredAsync(DateTimeOffset now, RegistryOutboxOptions options, CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        // Those not yet due (sent again lately, their wait doubled) are skipped: a few times the limit are looked at.
        var waiting = await connection.QueryAsync<SentRow>(new CommandDefinition(OverdueSql(Database.Dialect),
            new { cutoff = now - options.ResendAfter, scan = 4 * options.ResendAtMost }, cancellationToken: ct));
        var seqs = waiting
            .Where(w => now - w.SentAt >= ResendWait(w.Sends, options))
            .Take(options.ResendAtMost)
            .Select(w => w.Seq).ToArray();
        if (seqs.Length == 0)
        {
            return 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(ReopenSql(Database.Dialect), new { seqs }, cancellationToken: ct));
    }

    /// <summary>How long a command sent <paramref name="sends"/> times waits for its answer before it is sent again.</summary>
    public static TimeSpan ResendWait(int sends, RegistryOutboxOptions options) =>
        TimeSpan.FromTicks(Math.Min(options.LongestResendWait.Ticks, options.ResendAfter.Ticks << Math.Clamp(sends - 1, 0, 20)));

    /// <summary>
    /// Records the answer on the sender's own row and takes the command out of the outbox, in one transaction: the
    /// outbox keeps only what is unsettled (the sender's row keeps when it was sent and answered). Deleting the row is
    /// also the cheapest write an answer can make — an update would copy the whole row, message and all (the desk's
    /// benchmark, docs/benchmarks.md). A repeated answer (the command was sent again) finds no row and changes nothing.
    /// </summary>
    public async Task RecordAnswerAsync(RegistryCommandAnswered answer, RegistryAnswerStore sender, CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM registry_command_outbox WHERE command_id = @CommandId", new { answer.CommandId }, transaction, cancellationToken: ct));
        await sender.RecordAsync(connection, transaction, answer, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>What waits: commands not yet handed to the broker, and commands whose answer has not come (sent or not): every row.</summary>
    public async Task<(Backlog Unsent, Backlog Unanswered)> BacklogAsync(CancellationToken ct)
    {
        await using var connection = await Database.OpenConnectionAsync(ct);
        var unsent = await connection.QuerySingleAsync<Backlog>(new CommandDefinition(
            "SELECT COUNT(*) AS Waiting, MIN(queued_at) AS OldestAt FROM registry_command_outbox WHERE sent_at IS NULL", cancellationToken: ct));
        var unanswered = await connection.QuerySingleAsync<Backlog>(new CommandDefinition(
            "SELECT COUNT(*) AS Waiting, MIN(queued_at) AS OldestAt FROM registry_command_outbox", cancellationToken: ct));
        return (unsent, unanswered);
    }

    /// <summary>The oldest unsent commands, at most <c>@limit</c>.</summary>
    public static string UnsentSql(SqlDialect dialect) =>
        $"""
        SELECT seq AS Seq, command_id AS CommandId, command_type AS CommandType, message AS Message, traceparent AS TraceParent, tracestate AS TraceState
        FROM registry_command_outbox WHERE sent_at IS NULL ORDER BY seq{dialect.Limit("@limit")}
        """;

    /// <summary>Commands <c>@seqs</c> handed to the broker at <c>@now</c>, then the fence.</summary>
    public static string MarkSentSql(SqlDialect dialect) =>
        $"UPDATE registry_command_outbox SET sent_at = @now, sends = sends + 1 WHERE {dialect.In("seq", "seqs")};\n" + LeaseStore.FenceSql(dialect);

    /// <summary>Commands sent before <c>@cutoff</c> (every row is unanswered), those sent longest ago first, at most <c>@scan</c>.</summary>
    public static string OverdueSql(SqlDialect dialect) =>
        $"SELECT seq AS Seq, sent_at AS SentAt, sends AS Sends FROM registry_command_outbox WHERE sent_at < @cutoff ORDER BY sent_at, seq{dialect.Limit("@scan")}";

    /// <summary>Commands <c>@seqs</c> to be sent again (one answered meanwhile has left the outbox).</summary>
    public static string ReopenSql(SqlDialect dialect) =>
        $"UPDATE registry_command_outbox SET sent_at = NULL WHERE {dialect.In("seq", "seqs")}";

    /// <summary>A stored command read back: a typed record, or a version-1 message written before the upgrade.</summary>
    private static object Read(string commandType, string message) =>
        commandType == Version1Type
            ? JsonSerializer.Deserialize<ApplyRegistryCommand>(message, Json.Options)!
            : JsonSerializer.Deserialize(message, RegistryCommandCatalogue.Find(commandType)?.Type
                ?? throw new InvalidOperationException($"The outbox holds a command of unknown type '{commandType}'."), Json.Options)!;

    private sealed class SentRow
    {
        public long Seq { get; init; }
        public DateTimeOffset SentAt { get; init; }
        public int Sends { get; init; }
    }

    private sealed class Row
    {
        public long Seq { get; init; }
        public Guid CommandId { get; init; }
        public string CommandType { get; init; } = "";
        public string Message { get; init; } = "";
        public string? TraceParent { get; init; }
        public string? TraceState { get; init; }
    }
}

/// <summary>A command waiting in the outbox: its record (or version-1 message) and the trace context it was written in.</summary>
public sealed record OutboxCommand(long Seq, Guid CommandId, object Message, string? TraceParent, string? TraceState);

/// <summary>How many wait, and since when the oldest.</summary>
public sealed record Backlog(long Waiting, DateTimeOffset? OldestAt);
