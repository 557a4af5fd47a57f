using System.Security.Claims;
using PopInfo.Domain.Access;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Brokers;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.PersonAccess;

/// <summary>
/// Which departments received one person's changes, and how (issue 11's access report, docs/adr/0003 decision 6). The
/// question is audited in the exchange's audit trail (<c>person.deliveries.read</c>: the person's id, how many events,
/// for which auditor) before the answer leaves.
/// </summary>
public sealed class PersonDeliveriesQuery(
    PersonDeliveryStore store, ExchangeAuditStore audit, IBrokerAccounts broker, TimeProvider clock, ILogger<PersonDeliveriesQuery> logger)
{
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 1000;

    public async Task<Result<PersonDeliveries>> ReadAsync(PersonDeliveriesRequest request, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var token = TokenCaller.From(user);
        var (auditor, onBehalfRule) = AuditorOnBehalf.Check(token.Role, token.Subject, request.OnBehalfOf);
        var violations = Check(request, onBehalfRule, out var paging);
        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var personId = request.PersonId!.Value;
        var limit = paging.Limit;
        // One more than asked tells whether there were more.
        var rows = await store.DeliveriesAsync(personId, request.RegistrySequences, limit + 1, ct);
        var truncated = rows.Count > limit;
        var kept = rows.Take(limit).ToList();
        var reads = (await store.FeedReadsAsync(personId, ct)).ToLookup(r => (r.Department, r.Sequence));
        var acknowledged = await AcknowledgedUpToAsync(kept.Where(r => r.AmqpUser is not null && r.Sequence <= r.Published), ct);

        var deliveries = kept.Select(r => new PersonDelivery(
            r.Department, r.DepartmentName, r.Sequence, r.RegistrySequence, r.EventType, r.SubscriptionId, r.Purpose, r.CreatedAt,
            r.AmqpUser is null ? null : new QueueDelivery(r.Sequence <= r.Published,
                r.Sequence > r.Published ? false : acknowledged.GetValueOrDefault(r.Department) is { } upTo ? r.Sequence <= upTo : null),
            r.WebhookState is null ? null : new WebhookDelivery(r.WebhookState, r.WebhookAttempts, r.WebhookAt),
            [.. reads[(r.Department, r.Sequence)].Select(f => new FeedRead(f.AuditId, f.At, f.Actor))])).ToList();

        // The actor names the auditor; a service's token adds which client stated the name.
        var caller = new Caller(false, null, remoteAddress, token.Role is null ? $"client:{token.Source} for auditor:{auditor}" : $"auditor:{auditor}");
        await audit.WriteOnOwnConnectionAsync(caller, clock.GetUtcNow(), "person.deliveries.read", null,
            after: new { personId, registrySequences = request.RegistrySequences, events = deliveries.Count, truncated }, ct);

        return new PersonDeliveries(personId, deliveries, truncated);
    }

    /// <summary>Per department with events in its queue: the last sequence it has taken off (published less what the queue still holds).</summary>
    private async Task<Dictionary<string, long?>> AcknowledgedUpToAsync(IEnumerable<PersonDeliveryStore.Row> queued, CancellationToken ct)
    {
        var result = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var row in queued.DistinctBy(r => r.Department))
        {
            try
            {
                result[row.Department] = await broker.QueueDepthAsync(row.Department, ct) is { } depth ? row.Published - depth.InQueue : null;
            }
            catch (Exception ex) when (ex is HttpRequestException or BrokerUnavailableException)
            {
                // The answer still says what the exchange knows; acknowledged stays unknown.
                logger.LogWarning("Queue depth of department {Department} unavailable: {Error}", row.Department, ex.Message);
                result[row.Department] = null;
            }
        }

        return result;
    }

    private static List<RuleViolation> Check(PersonDeliveriesRequest request, string? onBehalfRule, out Paging paging)
    {
        var violations = new List<RuleViolation>();
        if (onBehalfRule is not null)
        {
            violations.Add(new("onBehalfOf", onBehalfRule, AuditorOnBehalf.MessageOf(onBehalfRule)));
        }

        if (request.PersonId is null)
        {
            violations.Add(new("personId", "required", "Give the person's id (the register's personId)."));
        }

        if (request.RegistrySequences is { } sequences && (sequences.Count is 0 or > MaxLimit || sequences.Any(s => s < 1)))
        {
            violations.Add(new("registrySequences", "range", $"registrySequences, when given, holds 1 to {MaxLimit} register sequences, each 1 or more."));
        }

        paging = Paging.Check(violations, request.Limit, DefaultLimit, MaxLimit);

        return violations;
    }
}
