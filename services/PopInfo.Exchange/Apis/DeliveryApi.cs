using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Exchange.Apis;

/// <summary>A department's replay feed, and where deliveries stand.</summary>
public static class DeliveryApi
{
    public const int MaxFeedLimit = 1000;

    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Delivery").WithGroupName(ExchangeModule.Name);

        api.MapGet("/feed", ReadFeed).RequireAuthorization(ExchangeAuthentication.DepartmentPolicy)
            .RequireRateLimit(ExchangeModule.Name, ExchangeModule.DepartmentRequests)
            .WithName("ReadFeed")
            .WithSummary("Your events after sequence 'after' (0: from the start), exactly as your queue and webhook received them. Each read is audited.")
            .Produces<FeedPage>().ProducesProblem(400);

        api.MapGet("/departments/{code}/delivery-status", GetDeliveryStatus)
            .RequireAuthorization(ExchangeAuthentication.AdminOrDepartmentPolicy)
            .RequireRateLimit(ExchangeModule.Name, ExchangeModule.DepartmentRequests)
            .WithName("GetDeliveryStatus").WithSummary("Last sequence, published / acknowledged (broker) and webhook delivered, backlog and lag.")
            .Produces<DepartmentDeliveryStatus>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/delivery-status", GetAllDeliveryStatus)
            .RequireAuthorization(ExchangeAuthentication.AdminOrMonitorPolicy)
            .WithName("GetAllDeliveryStatus").Produces<IReadOnlyList<DepartmentDeliveryStatus>>();

        api.MapGet("/changes/{registrySequence:long}/deliveries", GetChangeDeliveries)
            .RequireAuthorization(ExchangeAuthentication.AdminOrStatusReaderPolicy)
            .WithName("GetChangeDeliveries").WithSummary("Which departments have one register change, by the register's sequence (the desk shows it on a form).")
            .Produces<IReadOnlyList<ChangeDelivery>>();
        return app;
    }

    /// <summary>403 to a department asking about another's <paramref name="what"/>.</summary>
    public static ProblemHttpResult NotYours(string what) =>
        new Refusal(RefusalKind.Forbidden, null) { Title = $"A department sees only its own {what}." }.ToTypedResult();

    public static async Task<Results<FeedPage, ProblemHttpResult>> ReadFeed(
        DeliveryStore deliveries, ExchangeAuditStore audit, TimeProvider clock, HttpContext http, CancellationToken ct, [AsParameters] AfterPaging paging = default)
    {
        var checkedPaging = paging.Checked(MaxFeedLimit, "a sequence number");
        if (checkedPaging.Refusal is { } refusal)
        {
            return refusal.ToTypedResult();
        }

        var (limit, after, _, _) = checkedPaging.Value!;
        var caller = Caller.From(http);
        var code = caller.DepartmentCode!;
        var entries = await deliveries.ReadAsync(code, after, limit, ct);
        await audit.WriteOnOwnConnectionAsync(caller, clock.GetUtcNow(), "feed.read", code,
            after: new { after, count = entries.Count, first = entries.Count > 0 ? entries[0].Sequence : (long?)null, last = entries.Count > 0 ? entries[^1].Sequence : (long?)null }, ct);

        return new FeedPage(entries, entries.Count > 0 ? entries[^1].Sequence : after);
    }

    public static async Task<Results<Ok<DepartmentDeliveryStatus>, ProblemHttpResult>> GetDeliveryStatus(
        string code, DeliveryStatusReader reader, HttpContext http, CancellationToken ct)
    {
        if (!Caller.From(http).MaySee(code))
        {
            return NotYours("status");
        }

        return await reader.ForAsync(code, ct) is { } status ? TypedResults.Ok(status) : Refusal.NotFound($"No department '{code}'.").ToTypedResult();
    }

    public static async Task<Ok<IReadOnlyList<DepartmentDeliveryStatus>>> GetAllDeliveryStatus(DeliveryStatusReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.AllAsync(ct));

    public static async Task<Ok<IReadOnlyList<ChangeDelivery>>> GetChangeDeliveries(long registrySequence, DeliveryStatusReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.ForChangeAsync(registrySequence, ct));
}
