using PopInfo.ServiceDefaults;

namespace PopInfo.Sharing.AccessReport;

/// <summary>
/// The registry's access log of one person (<c>POST /api/v1/persons/access-log</c>, scope <c>registry.audit</c>), asked with
/// the sharing service's token on an auditor's behalf (<c>onBehalfOf</c>), a page at a time.
/// </summary>
public sealed class RegistryAccessLogClient(HttpClient http)
{
    public const int PageSize = 1000;

    public async Task<SourceAnswer<RegistryAccessLogPage>> PageAsync(Guid personId, long after, string auditor, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("api/v1/persons/access-log",
            new { personId, after, limit = PageSize, onBehalfOf = auditor }, ct);
        return await SourceAnswer.ReadAsync<RegistryAccessLogPage>(response, ct);
    }
}

/// <summary>
/// The exchange's deliveries of one person (<c>POST /api/v1/persons/deliveries</c>, scope <c>exchange.audit</c>), asked with
/// the sharing service's token on an auditor's behalf.
/// </summary>
public sealed class ExchangeDeliveriesClient(HttpClient http)
{
    public const int Limit = 1000;

    public async Task<SourceAnswer<ExchangeDeliveries>> ReadAsync(Guid personId, string auditor, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("api/v1/persons/deliveries", new { personId, limit = Limit, onBehalfOf = auditor }, ct);
        return await SourceAnswer.ReadAsync<ExchangeDeliveries>(response, ct);
    }
}

/// <summary>A page of the registry's access log (the registry's <c>PersonAccessLog</c>; the fields the report uses).</summary>
public sealed record RegistryAccessLogPage(Guid PersonId, IReadOnlyList<RegistryReadView> Reads, long Next);

/// <summary>One read of the person in the register.</summary>
public sealed record RegistryReadView(long Id, DateTimeOffset At, string Client, string? User, string Action, string Via, string? Detail);

/// <summary>The exchange's answer (its <c>PersonDeliveries</c>; the fields the report uses).</summary>
public sealed record ExchangeDeliveries(Guid PersonId, IReadOnlyList<ExchangeDelivery> Deliveries, bool Truncated);

/// <summary>One event for one department, and how it reached the department.</summary>
public sealed record ExchangeDelivery(
    string Department, string? DepartmentName, long Sequence, long RegistrySequence, string EventType, string? Purpose, DateTimeOffset ProjectedAt,
    ExchangeQueueDelivery? Queue, ExchangeWebhookDelivery? Webhook, IReadOnlyList<ExchangeFeedRead>? FeedReads);

public sealed record ExchangeQueueDelivery(bool Published, bool? Acknowledged);

public sealed record ExchangeWebhookDelivery(string State, int Attempts, DateTimeOffset? LastAttemptAt);

public sealed record ExchangeFeedRead(long AuditId, DateTimeOffset At, string Actor);
