using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Domain.Exchange;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Departments;

/// <summary>Reads and writes departments and subscriptions (plain SQL both PostgreSQL and SQLite accept).</summary>
public sealed class DepartmentStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    private const string DepartmentColumns =
        "code AS Code, name AS Name, contact AS Contact, status AS Status, inbound_kinds AS InboundKinds, webhook_url AS WebhookUrl, " +
        "amqp_user AS AmqpUser, last_sequence AS LastSequence, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private const string SubscriptionColumns =
        "s.id AS Id, s.department_code AS DepartmentCode, s.change_types AS ChangeTypes, s.regions AS Regions, s.fields AS Fields, " +
        "s.purpose AS Purpose, s.status AS Status, s.version AS Version, s.created_at AS CreatedAt, s.updated_at AS UpdatedAt";

    public ServiceDatabase Database => database;

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<IReadOnlyList<Department>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DepartmentRow>(new CommandDefinition($"SELECT {DepartmentColumns} FROM departments ORDER BY code", cancellationToken: ct));
        return [.. rows.Select(r => r.ToDepartment())];
    }

    /// <summary>Whether a department of this code is registered and active.</summary>
    public async Task<bool> IsActiveAsync(string code, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM departments WHERE code = @code AND status = 'active'", new { code }, cancellationToken: ct)) == 1;
    }

    /// <summary>The code of the active department whose API key has this SHA-256 (<see cref="PopInfo.Exchange.Access.Secrets.Hash"/>), if any.</summary>
    public async Task<string?> ActiveCodeByKeyAsync(string hash, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT code FROM departments WHERE api_key_hash = @hash AND status = 'active'", new { hash }, cancellationToken: ct));
    }

    /// <summary>
    /// Runs <paramref name="action"/> if the department is active, holding its row locked meanwhile (PostgreSQL), so
    /// that a change of its status waits until the action is done — and the action never sees a status being changed.
    /// </summary>
    public async Task<bool> WhileActiveAsync(string code, Func<Task> action, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            LockStatusSql(database.Dialect), new { code }, transaction, cancellationToken: ct));
        if (status != DepartmentStatus.Active)
        {
            return false;
        }

        await action();
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<Department?> GetAsync(string code, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await GetAsync(connection, null, code, ct);
    }

    /// <summary>The department, read in the work's transaction.</summary>
    public static Task<Department?> GetAsync(UnitOfWork work, string code, CancellationToken ct) => GetAsync(work.Connection, work.Transaction, code, ct);

    private static async Task<Department?> GetAsync(DbConnection connection, DbTransaction? transaction, string code, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<DepartmentRow>(new CommandDefinition(
            $"SELECT {DepartmentColumns} FROM departments WHERE code = @code", new { code }, transaction, cancellationToken: ct));
        return row?.ToDepartment();
    }

    /// <summary>A new department, active, at sequence 0 and version 1 (<paramref name="webhookSecret"/> protected, <paramref name="apiKeyHash"/> the key's SHA-256).</summary>
    public static Task InsertAsync(UnitOfWork work, string code, string name, string contact, IReadOnlyList<string> inboundKinds, string? webhookUrl,
        string webhookSecret, string apiKeyHash, string? amqpUser, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO departments (code, name, contact, status, inbound_kinds, webhook_url, webhook_secret, api_key_hash, amqp_user, last_sequence, version, created_at, updated_at)
            VALUES (@code, @name, @contact, 'active', @inboundKinds, @webhookUrl, @webhookSecret, @apiKeyHash, @amqpUser, 0, 1, @now, @now)
            """,
            new { code, name, contact, inboundKinds = ToJson(inboundKinds), webhookUrl, webhookSecret, apiKeyHash, amqpUser, now },
            work.Transaction, cancellationToken: ct));

    /// <summary>Changes the department if it is still at <paramref name="version"/> (moving it to the next); returns 0 when it is not.</summary>
    public static Task<int> UpdateAsync(UnitOfWork work, string code, int version, string name, string contact, string? webhookUrl,
        IReadOnlyList<string> inboundKinds, string status, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE departments SET name = @name, contact = @contact, webhook_url = @webhookUrl, inbound_kinds = @inboundKinds, status = @status,
                   version = version + 1, updated_at = @now
            WHERE code = @code AND version = @version
            """,
            new { code, version, name, contact, webhookUrl, inboundKinds = ToJson(inboundKinds), status, now },
            work.Transaction, cancellationToken: ct));

    /// <summary>A new API key's SHA-256: the old key stops working when the work commits.</summary>
    public static Task SetApiKeyHashAsync(UnitOfWork work, string code, string hash, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE departments SET api_key_hash = @hash, updated_at = @now WHERE code = @code",
            new { code, hash, now }, work.Transaction, cancellationToken: ct));

    /// <summary>A new webhook secret (protected: <see cref="WebhookSecrets.Protect"/>).</summary>
    public static Task SetWebhookSecretAsync(UnitOfWork work, string code, string secret, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE departments SET webhook_secret = @secret, updated_at = @now WHERE code = @code",
            new { code, secret, now }, work.Transaction, cancellationToken: ct));

    public async Task<IReadOnlyList<Subscription>> SubscriptionsAsync(string code, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {SubscriptionColumns} FROM subscriptions s WHERE s.department_code = @code ORDER BY s.created_at, s.id", new { code }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToSubscription())];
    }

    /// <summary>The department's subscription, read in the work's transaction.</summary>
    public static async Task<Subscription?> GetSubscriptionAsync(UnitOfWork work, string code, Guid id, CancellationToken ct)
    {
        var row = await work.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {SubscriptionColumns} FROM subscriptions s WHERE s.id = @id AND s.department_code = @code", new { id, code }, work.Transaction, cancellationToken: ct));
        return row?.ToSubscription();
    }

    /// <summary>A new subscription of the department, active, at version 1.</summary>
    public static Task InsertSubscriptionAsync(UnitOfWork work, Guid id, string code, IReadOnlyList<string> changeTypes, IReadOnlyList<string> regions,
        IReadOnlyList<string> fields, string purpose, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscriptions (id, department_code, change_types, regions, fields, purpose, status, version, created_at, updated_at)
            VALUES (@id, @code, @changeTypes, @regions, @fields, @purpose, 'active', 1, @now, @now)
            """,
            new { id, code, changeTypes = ToJson(changeTypes), regions = ToJson(regions), fields = ToJson(fields), purpose, now },
            work.Transaction, cancellationToken: ct));

    /// <summary>Changes the subscription if it is still at <paramref name="version"/> (moving it to the next); returns 0 when it is not.</summary>
    public static Task<int> UpdateSubscriptionAsync(UnitOfWork work, Guid id, int version, IReadOnlyList<string> changeTypes, IReadOnlyList<string> regions,
        IReadOnlyList<string> fields, string purpose, string status, DateTimeOffset now, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET change_types = @changeTypes, regions = @regions, fields = @fields, purpose = @purpose, status = @status,
                   version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            """,
            new { id, version, changeTypes = ToJson(changeTypes), regions = ToJson(regions), fields = ToJson(fields), purpose, status, now },
            work.Transaction, cancellationToken: ct));

    /// <summary>Every active subscription of an active department: what the projection matches changes against.</summary>
    public static async Task<IReadOnlyList<Subscription>> ActiveSubscriptionsAsync(UnitOfWork work, CancellationToken ct)
    {
        var rows = await work.Connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"""
            SELECT {SubscriptionColumns}
            FROM subscriptions s JOIN departments d ON d.code = s.department_code
            WHERE s.status = 'active' AND d.status = 'active'
            ORDER BY s.department_code, s.created_at, s.id
            """, transaction: work.Transaction, cancellationToken: ct));
        return [.. rows.Select(r => r.ToSubscription())];
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string code, long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(AuditSql(database.Dialect), new { code, after, limit }, cancellationToken: ct));
        return [.. rows.Select(r => new AuditEntry(r.Id, r.At, r.Actor, r.RemoteAddress, r.DepartmentCode, r.SubscriptionId, r.Action,
            r.Before is null ? null : JsonDocument.Parse(r.Before).RootElement.Clone(),
            r.After is null ? null : JsonDocument.Parse(r.After).RootElement.Clone()))];
    }

    internal static string LockStatusSql(SqlDialect dialect) =>
        $"SELECT status FROM departments{dialect.UpdateLockHint} WHERE code = @code{dialect.ForUpdate}";

    internal static string AuditSql(SqlDialect dialect) =>
        $"""
        SELECT id AS Id, at AS At, actor AS Actor, remote_address AS RemoteAddress, department_code AS DepartmentCode,
               subscription_id AS SubscriptionId, action AS Action, before AS Before, after AS After
        FROM audit_log WHERE department_code = @code AND id > @after ORDER BY id{dialect.Limit("@limit")}
        """;

    private static string ToJson(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, Json.Options);

    private static List<string> FromJson(string json) => JsonSerializer.Deserialize<List<string>>(json, Json.Options) ?? [];

    private sealed class DepartmentRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Contact { get; init; } = "";
        public string Status { get; init; } = "";
        public string InboundKinds { get; init; } = "[]";
        public string? WebhookUrl { get; init; }
        public string? AmqpUser { get; init; }
        public long LastSequence { get; init; }
        public int Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public Department ToDepartment() => new(Code, Name, Contact, Status, FromJson(InboundKinds), WebhookUrl, AmqpUser,
            AmqpUser is null ? null : DepartmentTopology.Queue(Code), LastSequence, Version, CreatedAt, UpdatedAt);
    }

    private sealed class SubscriptionRow
    {
        public Guid Id { get; init; }
        public string DepartmentCode { get; init; } = "";
        public string ChangeTypes { get; init; } = "[]";
        public string Regions { get; init; } = "[]";
        public string Fields { get; init; } = "[]";
        public string Purpose { get; init; } = "";
        public string Status { get; init; } = "";
        public int Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public Subscription ToSubscription() => new(Id, DepartmentCode, FromJson(ChangeTypes), FromJson(Regions), FromJson(Fields), Purpose, Status, Version, CreatedAt, UpdatedAt);
    }

    private sealed class AuditRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Actor { get; init; } = "";
        public string? RemoteAddress { get; init; }
        public string? DepartmentCode { get; init; }
        public Guid? SubscriptionId { get; init; }
        public string Action { get; init; } = "";
        public string? Before { get; init; }
        public string? After { get; init; }
    }
}
