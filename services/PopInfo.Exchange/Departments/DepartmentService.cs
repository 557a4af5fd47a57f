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
            await using var work = await store.Database.BeginAsync(ct);
            await DepartmentStore.InsertAsync(work, code, request.Name!.Trim(), request.Contact!.Trim(), request.InboundKinds ?? [],
                string.IsNullOrEmpty(request.WebhookUrl) ? null : request.WebhookUrl, webhookSecrets.Protect(webhookSecret), Secrets.Hash(apiKey), amqp?.User, now, ct);
            var created = (await DepartmentStore.GetAsync(work, code, ct))!;
            await ExchangeAuditStore.WriteAsync(work, caller, now, "department.created", code, after: created, ct: ct);
            await work.CommitAsync(ct);
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

        await using var work = await store.Database.BeginAsync(ct);
        var before = await DepartmentStore.GetAsync(work, code, ct);
        if (before is null)
        {
            return Refusal.NotFound($"No department '{code}'.");
        }

        if (before.Version != request.ExpectedVersion)
        {
            return Refusal.VersionConflict(request.ExpectedVersion!.Value, before.Version);
        }

        var status = request.Status ?? before.Status;
        var changed = await DepartmentStore.UpdateAsync(work, code, before.Version,
            request.Name?.Trim() ?? before.Name,
            request.Contact?.Trim() ?? before.Contact,
            request.WebhookUrl is null ? before.WebhookUrl : request.WebhookUrl.Length == 0 ? null : request.WebhookUrl,
            request.InboundKinds ?? before.InboundKinds,
            status,
            store.Now, ct);
        if (changed == 0)
        {
            return Refusal.VersionConflict(before.Version, before.Version + 1);
        }

        var after = (await DepartmentStore.GetAsync(work, code, ct))!;
        await ExchangeAuditStore.WriteAsync(work, caller, store.Now, "department.updated", code, before: before, after: after, ct: ct);
        if (status != before.Status && before.AmqpUser is not null)
        {
            // Broker first: if it cannot withdraw access, the department stays as it was.
            await broker.SetAccessAsync(code, status == DepartmentStatus.Active, ct);
        }

        await work.CommitAsync(ct);
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

        await using var work = await store.Database.BeginAsync(ct);
        if (await DepartmentStore.GetAsync(work, code, ct) is null)
        {
            return Refusal.NotFound($"No department '{code}'.");
        }

        var id = Guid.CreateVersion7();
        var now = store.Now;
        await DepartmentStore.InsertSubscriptionAsync(work, id, code, request.ChangeTypes!, request.Regions!, request.Fields!, request.Purpose!.Trim(), now, ct);
        var created = (await DepartmentStore.GetSubscriptionAsync(work, code, id, ct))!;
        await ExchangeAuditStore.WriteAsync(work, caller, now, "subscription.created", code, id, after: created, ct: ct);
        await work.CommitAsync(ct);
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

        await using var work = await store.Database.BeginAsync(ct);
        var before = await DepartmentStore.GetSubscriptionAsync(work, code, id, ct);
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
        var changed = await DepartmentStore.UpdateSubscriptionAsync(work, id, before.Version,
            end ? before.ChangeTypes : request!.ChangeTypes!,
            end ? before.Regions : request!.Regions!,
            end ? before.Fields : request!.Fields!,
            end ? before.Purpose : request!.Purpose!.Trim(),
            end ? SubscriptionStatus.Ended : SubscriptionStatus.Active,
            now, ct);
        if (changed == 0)
        {
            return Refusal.VersionConflict(before.Version, before.Version + 1);
        }

        var after = (await DepartmentStore.GetSubscriptionAsync(work, code, id, ct))!;
        await ExchangeAuditStore.WriteAsync(work, caller, now, end ? "subscription.ended" : "subscription.changed", code, id, before, after, ct);
        await work.CommitAsync(ct);
        return after;
    }

    /// <summary>Issues a new credential of one kind; the old one stops working at once.</summary>
    public async Task<Result<DepartmentCredentials>> RotateAsync(Caller caller, string code, string kind, CancellationToken ct)
    {
        await using var work = await store.Database.BeginAsync(ct);
        var department = await DepartmentStore.GetAsync(work, code, ct);
        if (department is null)
        {
            return Refusal.NotFound($"No department '{code}'.");
        }

        DepartmentCredentials issued;
        switch (kind)
        {
            case CredentialKinds.ApiKey:
                var apiKey = Secrets.NewApiKey();
                await DepartmentStore.SetApiKeyHashAsync(work, code, Secrets.Hash(apiKey), store.Now, ct);
                issued = new DepartmentCredentials(apiKey, null, null);
                break;
            case CredentialKinds.WebhookSecret:
                var secret = Secrets.NewWebhookSecret();
                await DepartmentStore.SetWebhookSecretAsync(work, code, webhookSecrets.Protect(secret), store.Now, ct);
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

        await ExchangeAuditStore.WriteAsync(work, caller, store.Now, $"credential.rotated.{kind}", code, ct: ct);
        await work.CommitAsync(ct);
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
