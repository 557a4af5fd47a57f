using System.Text.Json;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring.Audit;

/// <summary>
/// The services whose audit trails the audit search asks, with the monitoring client's scope at each (least privilege: one
/// <c>*.audit-search</c> scope per service, given to the monitoring client only), and the questions themselves: a search
/// (<c>POST /api/v1/audit/search</c>, the auditor named in <c>onBehalfOf</c>) and the chains (<c>GET /api/v1/audit/chains</c>).
/// </summary>
public sealed class AuditSources(IHttpClientFactory clients)
{
    /// <summary>The sources in the order an answer lists them (and merges entries of the same instant).</summary>
    public static readonly IReadOnlyList<(string Service, string Scope)> All =
    [
        ("registry", PlatformScopes.RegistryAuditSearch),
        ("collection", PlatformScopes.CollectionAuditSearch),
        ("exchange", PlatformScopes.ExchangeAuditSearch),
        ("sharing", PlatformScopes.SharingAuditSearch),
    ];

    /// <summary>How long one source may take to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The named HTTP client of a source (tests give it their own handler).</summary>
    public static string ClientName(string service) => "monitoring-audit-" + service;

    public async Task<SourceAnswer<AuditSearchPage>> SearchAsync(string service, AuditSearchRequest request, CancellationToken ct)
    {
        using var response = await clients.CreateClient(ClientName(service)).PostAsJsonAsync("api/v1/audit/search", request, ct);
        return await SourceAnswer.ReadAsync<AuditSearchPage>(response, ct);
    }

    public async Task<SourceAnswer<AuditChainsAnswer>> ChainsAsync(string service, CancellationToken ct)
    {
        using var response = await clients.CreateClient(ClientName(service)).GetAsync("api/v1/audit/chains", ct);
        return await SourceAnswer.ReadAsync<AuditChainsAnswer>(response, ct);
    }

    /// <summary>A failure said by kind, never by message (a message may carry an address or a path).</summary>
    public static string Describe(Exception e, CancellationToken ct) =>
        e is OperationCanceledException && !ct.IsCancellationRequested ? "timeout" : e is JsonException ? "answer.format" : e.GetType().Name;

    /// <summary>A source's refusal by its status and rule.</summary>
    public static string Describe<T>(SourceAnswer<T> answer) => answer.Rule is { } rule ? $"status {answer.Status} ({rule})" : $"status {answer.Status}";
}
