using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Contracts.Identity;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.Identity.Clients;

/// <summary>The platform's record of each OAuth client: what it is, whether it may get tokens, what it was granted.</summary>
public sealed class ClientStore([FromKeyedServices(IdentityModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string ServiceKind = "service";
    public const string DepartmentKind = "department";

    /// <summary>One row of <c>clients</c> (a class with setters: Dapper maps SQLite's integers and texts into it).</summary>
    public sealed class ClientRow
    {
        public string Client_Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Display_Name { get; init; } = "";
        public string Status { get; init; } = "";
        public string Scopes { get; init; } = "";
        public int Version { get; init; }
        public DateTimeOffset Created_At { get; init; }
        public DateTimeOffset Updated_At { get; init; }
        public string? Previous_Secret_Hash { get; init; }
        public DateTimeOffset? Previous_Secret_Expires_At { get; init; }

        /// <summary>Whether the previous secret is still accepted at <paramref name="now"/>.</summary>
        public bool AcceptsPreviousSecret(DateTimeOffset now) =>
            Previous_Secret_Hash is not null && (Previous_Secret_Expires_At is null || Previous_Secret_Expires_At > now);
    }

    private const string Columns = "client_id, kind, display_name, status, scopes, version, created_at, updated_at, previous_secret_hash, previous_secret_expires_at";

    public async Task<ClientRow?> FindAsync(string clientId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ClientRow>(new CommandDefinition(
            $"SELECT {Columns} FROM clients WHERE client_id = @clientId", new { clientId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ClientRow>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<ClientRow>(new CommandDefinition($"SELECT {Columns} FROM clients ORDER BY client_id", cancellationToken: ct))];
    }

    /// <summary>Inserts the client, or (a platform service's, from settings) brings its name and scopes up to date.</summary>
    public async Task<ClientRow> UpsertAsync(string clientId, string kind, string displayName, string scopes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(UpsertSql(database.Dialect), new { clientId, kind, displayName, scopes, now }, cancellationToken: ct));
        return (await FindAsync(clientId, ct))!;
    }

    internal static string UpsertSql(SqlDialect dialect) => dialect.Upsert("clients", "client_id, kind, display_name, status, scopes, version, created_at, updated_at",
        "(@clientId, @kind, @displayName, 'active', @scopes, 1, @now, @now)", keys: "client_id",
        update: "display_name = excluded.display_name, scopes = excluded.scopes, version = clients.version + 1, updated_at = excluded.updated_at",
        updateWhere: "clients.display_name <> excluded.display_name OR clients.scopes <> excluded.scopes");

    /// <summary>Sets the status if the caller saw the current version; false when it did not (or the client is unknown).</summary>
    /// <summary>
    /// Sets a client's status if the caller saw its current version, and in the same transaction queues the
    /// <see cref="ClientStatusChanged"/> every service hears (<c>status_outbox</c>, published by <see cref="StatusRelay"/>).
    /// </summary>
    public async Task<bool> SetStatusAsync(string clientId, string status, int expectedVersion, string changedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE clients SET status = @status, version = version + 1, updated_at = @now WHERE client_id = @clientId AND version = @expectedVersion",
                new { clientId, status, expectedVersion, now }, transaction, cancellationToken: ct)) != 1)
        {
            return false;
        }

        var message = new ClientStatusChanged { ClientId = clientId, Status = status, Version = expectedVersion + 1, ChangedAt = now, ChangedBy = changedBy };
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO status_outbox (message, created_at) VALUES (@message, @now)",
            new { message = JsonSerializer.Serialize(message, Json.Options), now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return true;
    }

    internal static string UnsentSql(SqlDialect dialect) => $"SELECT seq, message FROM status_outbox WHERE sent_at IS NULL ORDER BY seq{dialect.Limit("@limit")}";

    /// <summary>The status changes not yet published, oldest first.</summary>
    public async Task<IReadOnlyList<(long Seq, ClientStatusChanged Message)>> UnsentStatusChangesAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Seq, string Message)>(new CommandDefinition(UnsentSql(database.Dialect), new { limit }, cancellationToken: ct));
        return [.. rows.Select(r => (r.Seq, JsonSerializer.Deserialize<ClientStatusChanged>(r.Message, Json.Options)!))];
    }

    /// <summary>
    /// Marks status changes published, in one statement fenced by the relay's lease in the same command and transaction:
    /// when another instance leads now, <see cref="LeaseLostException"/> and nothing marked (they are published again).
    /// </summary>
    public async Task MarkStatusChangesSentAsync(IReadOnlyList<long> seqs, LeaseFence fence, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await LeaseStore.WriteFencedAsync(connection, MarkSentSql(database.Dialect),
            new DynamicParameters(new { seqs = seqs.ToArray(), now = clock.GetUtcNow().ToUniversalTime() }), fence, ct);
    }

    internal static string MarkSentSql(SqlDialect dialect) =>
        $"UPDATE status_outbox SET sent_at = @now WHERE {dialect.In("seq", "seqs")};\n" + LeaseStore.FenceSql(dialect);

    /// <summary>
    /// Keeps the hash of the secret a rotation replaced, accepted until <paramref name="expiresAt"/> (null: while a
    /// platform service's settings name it); no hash ends the overlap. The version (of the status) stays.
    /// </summary>
    public async Task<bool> SetPreviousSecretAsync(string clientId, string? hash, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE clients SET previous_secret_hash = @hash, previous_secret_expires_at = @expiresAt, updated_at = @now
            WHERE client_id = @clientId
            """,
            new { clientId, hash, expiresAt = hash is null ? null : expiresAt, now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }
}
