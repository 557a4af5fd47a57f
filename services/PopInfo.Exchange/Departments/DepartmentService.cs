using Dapper;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Brokers;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Exchange.Departments;

/// <summary>
/// The administrator's work on departments and their entitlements. Each change is one transaction with
/// its audit entry (state before and after); the broker account is provisioned before the row is written
/// and removed again if the row cannot be, so that neither exists without the other.
/// </summary>
public sealed class DepartmentService(
    DepartmentStore store, EntitlementRules rules, IBrokerAccounts broker, WebhookSecrets webhookSecrets, ActiveDepartments active, ILogger<DepartmentService> logger)
{
    public async Task<Result<CreatedDepartment>> CreateAsync(Caller caller, CreateDepartmentRequest request, CancellationToken ct)
    {
        var violations = rules.Check(request);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var code = request.Code!;
        if (await store.GetAsync(code, ct) is not null)
        {
            return Refusal.Conflict("code", "department.exists", $"A department '{code}' exists already.");
        }

        var apiKey = Secrets.NewApiKey();
        var webhookSecret = Secrets.NewWebhookSecret();
        AmqpCredentials? amqp = null;
        if (broker.Enabled)
        {
            var password = Secrets.NewBrokerPassword();
            await broker.ProvisionAsync(code, password, ct);
            amqp = new AmqpCredentials(DepartmentTopology.BrokerUser(code), password, DepartmentTopology.Queue(code), DepartmentTopology.InboundExchange(code));
        }

        var now = store.Now;
        try
        {
            await using var connection = await store.Database.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO departments (code, name, contact, status, inbound_kinds, webhook_url, webhook_secret, api_key_hash, amqp_user, last_sequence, version, created_at, updated_at)
                VALUES (@code, @name, @contact, 'active', @inboundKinds, @webhookUrl, @webhookSecret, @apiKeyHash, @amqpUser, 0, 1, @now, @now)
                """,
                new
                {
                    code,
                    name = request.Name!.Trim(),
                    contact = request.Contact!.Trim(),
                    inboundKinds = DepartmentStore.ToJson(request.InboundKinds ?? []),
                    webhookUrl = string.IsNullOrEmpty(request.WebhookUrl) ? null : request.WebhookUrl,
                    webhookSecret = webhookSecrets.Protect(webhookSecret),
                    apiKeyHash = Secrets.Hash(apiKey),
                    amqpUser = amqp?.User,
                    now,
                },
                transaction, cancellationToken: ct));
            var created = (await store.GetAsync(code, ct, connection, transaction))!;
            await ExchangeAudit.WriteAsync(store.Database.Dialect, connection, transaction, caller, now, "department.created", code, after: created, ct: ct);
            await transaction.CommitAsync(ct);
            active.Forget(code);
            return new CreatedDepartment(created, new DepartmentCredentials(apiKey, amqp, webhookSecret));
        }
        catch (Exception ex) when (broker.Enabled)
        {
            logger.LogWarning(ex, "Creating department {Code} failed after its broker account was made; removing the account", code);
            await broker.DeleteUserAsync(code, CancellationToken.None);
            if (store.Database.Dialect.IsUniqueViolation(ex, out _))
            {
                return Refusal.Conflict("code", "department.exists", $"A department '{code}' exists already.");
            }

            throw;
        }
    }

    public async Task<Result<Department>> UpdateAsync(Caller caller, string code, UpdateDepartmentRequest request, CancellationToken ct)
    {
        var violations = rules.Check(request);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        await using var connection = await store.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var before = await store.GetAsync(code, ct, connection, transaction);
        if (before is null)
        {
            return Refusal.NotFound($"No department '{code}'.");
        }

        if (before.Version != request.ExpectedVersion)
        {
            return Refusal.VersionConflict(request.ExpectedVersion!.Value, before.Version);
        }

        var status = request.Status ?? before.Status;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE departments SET name = @name, contact = @contact, webhook_url = @webhookUrl, inbound_kinds = @inboundKinds, status = @status,
                   version = version + 1, updated_at = @now
            WHERE code = @code AND version = @version
            """,
            new
            {
                code,
                version = before.Version,
                name = request.Name?.Trim() ?? before.Name,
                contact = request.Contact?.Trim() ?? before.Contact,
                webhookUrl = request.WebhookUrl is null ? before.WebhookUrl : request.WebhookUrl.Length == 0 ? null : request.WebhookUrl,
                inboundKinds = DepartmentStore.ToJson(request.InboundKinds ?? before.InboundKinds),
                status,
                now = store.Now,
            },
            transaction, cancellationToken: ct));
        if (changed == 0)
        {
            return Refusal.VersionConflict(before.Version, before.Version + 1);
        }

        var after = (await store.GetAsync(code, ct, connection, transaction))!;
        await ExchangeAudit.WriteAsync(store.Database.Dialect, connection, transaction, caller, store.Now, "department.updated", code, before: before, after: after, ct: ct);
        if (status != before.Status && before.AmqpUser is not null)
        {
            // Broker first: if it cannot withdraw access, the department stays as it was.
            await broker.SetAccessAsync(code, status == DepartmentStatus.Active, ct);
        }

        await transaction.CommitAsync(ct);
        if (status != before.Status)
        {
            // This instance refuses (or admits) the department's tokens from the next request; others within the cache's life.
            active.Forget(code);
        }

        return after;
    }

    public async Task<Result<Subscription>> SubscribeAsync(Caller caller, string code, SubscriptionRequest request, CancellationToken ct)
    {
        var violations = rules.Check(request, update: false);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        await using var connection = await store.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await store.GetAsync(code, ct, connection, transaction) is null)
        {
            return Refusal.NotFound($"No department '{code}'.");
        }

        var id = Guid.CreateVersion7();
        var now = store.Now;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscriptions (id, department_code, change_types, regions, fields, purpose, status, version, created_at, updated_at)
            VALUES (@id, @code, @changeTypes, @regions, @fields, @purpose, 'active', 1, @now, @now)
            """,
            new
            {
                id,
                code,
                changeTypes = DepartmentStore.ToJson(request.ChangeTypes!),
                regions = DepartmentStore.ToJson(request.Regions!),
                fields = DepartmentStore.ToJson(request.Fields!),
                purpose = request.Purpose!.Trim(),
                now,
            },
            transaction, cancellationToken: ct));
        var created = (await store.GetSubscriptionAsync(connection, transaction, code, id, ct))!;
        await ExchangeAudit.WriteAsync(store.Database.Dialect, connection, transaction, caller, now, "subscription.created", code, id, after: created, ct: ct);
        await transaction.CommitAsync(ct);
        return created;
    }

    /// <summary>Replaces a subscription's entitlements (PUT); <paramref name="end"/> ends it instead.</summary>
    public async Task<Result<Subscription>> ChangeSubscriptionAsync(Caller caller, string code, Guid id, SubscriptionRequest? request, bool end, int? expectedVersion, CancellationToken ct)
    {
        if (!end)
        {
            var violations = rules.Check(request!, update: true);
            if (violations.Count > 0)
            {
                return Refusal.Invalid(violations);
            }
        }

        await using var connection = await store.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var before = await store.GetSubscriptionAsync(connection, transaction, code, id, ct);
        if (before is null)
        {
            return Refusal.NotFound($"No subscription {id} of department '{code}'.");
        }

        if (expectedVersion is not null && before.Version != expectedVersion)
        {
            return Refusal.VersionConflict(expectedVersion.Value, before.Version);
        }

        if (end && before.Status == SubscriptionStatus.Ended)
        {
            return before;
        }

        var now = store.Now;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET change_types = @changeTypes, regions = @regions, fields = @fields, purpose = @purpose, status = @status,
                   version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            """,
            new
            {
                id,
                version = before.Version,
                changeTypes = DepartmentStore.ToJson(end ? before.ChangeTypes : request!.ChangeTypes!),
                regions = DepartmentStore.ToJson(end ? before.Regions : request!.Regions!),
                fields = DepartmentStore.ToJson(end ? before.Fields : request!.Fields!),
                purpose = end ? before.Purpose : request!.Purpose!.Trim(),
                status = end ? SubscriptionStatus.Ended : SubscriptionStatus.Active,
                now,
            },
            transaction, cancellationToken: ct));
        if (changed == 0)
        {
            return Refusal.VersionConflict(before.Version, before.Version + 1);
        }

        var after = (await store.GetSubscriptionAsync(connection, transaction, code, id, ct))!;
        await ExchangeAudit.WriteAsync(store.Database.Dialect, connection, transaction, caller, now, end ? "subscription.ended" : "subscription.changed", code, id, before, after, ct);
        await transaction.CommitAsync(ct);
        return after;
    }

    /// <summary>Issues a new credential of one kind; the old one stops working at once.</summary>
    public async Task<Result<DepartmentCredentials>> RotateAsync(Caller caller, string code, string kind, CancellationToken ct)
    {
        await using var connection = await store.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var department = await store.GetAsync(code, ct, connection, transaction);
        if (department is null)
        {
            return Refusal.NotFound($"No department '{code}'.");
        }

        DepartmentCredentials issued;
        switch (kind)
        {
            case CredentialKinds.ApiKey:
                var apiKey = Secrets.NewApiKey();
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE departments SET api_key_hash = @hash, updated_at = @now WHERE code = @code",
                    new { code, hash = Secrets.Hash(apiKey), now = store.Now }, transaction, cancellationToken: ct));
                issued = new DepartmentCredentials(apiKey, null, null);
                break;
            case CredentialKinds.WebhookSecret:
                var secret = Secrets.NewWebhookSecret();
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE departments SET webhook_secret = @secret, updated_at = @now WHERE code = @code",
                    new { code, secret = webhookSecrets.Protect(secret), now = store.Now }, transaction, cancellationToken: ct));
                issued = new DepartmentCredentials(null, null, secret);
                break;
            case CredentialKinds.AmqpPassword when department.AmqpUser is not null:
                var password = Secrets.NewBrokerPassword();
                await broker.SetPasswordAsync(code, password, ct);
                issued = new DepartmentCredentials(null, new AmqpCredentials(department.AmqpUser, password, DepartmentTopology.Queue(code), DepartmentTopology.InboundExchange(code)), null);
                break;
            case CredentialKinds.AmqpPassword:
                return Refusal.Conflict("kind", "credential.no-broker", "This platform runs without RabbitMQ: the department has no broker account.");
            default:
                return Refusal.Invalid("kind", "credential.kind", $"kind is one of: {string.Join(", ", CredentialKinds.All)}.");
        }

        await ExchangeAudit.WriteAsync(store.Database.Dialect, connection, transaction, caller, store.Now, $"credential.rotated.{kind}", code, ct: ct);
        await transaction.CommitAsync(ct);
        return issued;
    }
}

public static class CredentialKinds
{
    public const string ApiKey = "api-key";
    public const string AmqpPassword = "amqp-password";
    public const string WebhookSecret = "webhook-secret";

    public static IReadOnlyList<string> All { get; } = [ApiKey, AmqpPassword, WebhookSecret];
}
