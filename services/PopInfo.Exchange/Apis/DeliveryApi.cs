using PopInfo.Exchange.Access;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
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

        api.MapGet("/departments/{code}/delivery-status", async (string code, DeliveryStatusReader reader, HttpContext http, CancellationToken ct) =>
            {
                if (!Caller.From(http).MaySee(code))
                {
                    return NotYours("status");
                }

                return await reader.ForAsync(code, ct) is { } status ? Results.Ok(status) : Problem.NotFound($"No department '{code}'.").ToResult();
            })
            .RequireAuthorization(ExchangeAuthentication.AdminOrDepartmentPolicy)
            .RequireRateLimit(ExchangeModule.Name, ExchangeModule.DepartmentRequests)
            .WithName("GetDeliveryStatus").WithSummary("Last sequence, published / acknowledged (broker) and webhook delivered, backlog and lag.")
            .Produces<DepartmentDeliveryStatus>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/delivery-status", async (DeliveryStatusReader reader, CancellationToken ct) => Results.Ok(await reader.AllAsync(ct)))
            .RequireAuthorization(ExchangeAuthentication.AdminOrMonitorPolicy)
            .WithName("GetAllDeliveryStatus").Produces<IReadOnlyList<DepartmentDeliveryStatus>>();

        api.MapGet("/changes/{registrySequence:long}/deliveries", async (long registrySequence, DeliveryStatusReader reader, CancellationToken ct) =>
                Results.Ok(await reader.ForChangeAsync(registrySequence, ct)))
            .RequireAuthorization(ExchangeAuthentication.AdminOrStatusReaderPolicy)
            .WithName("GetChangeDeliveries").WithSummary("Which departments have one register change, by the register's sequence (the desk shows it on a form).")
            .Produces<IReadOnlyList<ChangeDelivery>>();
        return app;
    }

    /// <summary>403 to a department asking about another's <paramref name="what"/>.</summary>
    public static IResult NotYours(string what) =>
        Results.Problem(statusCode: 403, title: $"A department sees only its own {what}.", type: ProblemTypes.Forbidden);

    private static async Task<IResult> ReadFeed(DeliveryStore deliveries, TimeProvider clock, HttpContext http, CancellationToken ct, long after = 0, int limit = 100)
    {
        var violations = new List<RuleViolation>();
        PagingRules.After(violations, after, "a sequence number");
        PagingRules.Limit(violations, limit, MaxFeedLimit);

        if (violations.Count > 0)
        {
            return Problem.Validation(violations).ToResult();
        }

        var caller = Caller.From(http);
        var code = caller.DepartmentCode!;
        var entries = await deliveries.ReadAsync(code, after, limit, ct);
        await using (var connection = await deliveries.Database.OpenConnectionAsync(ct))
        {
            await ExchangeAudit.WriteAsync(deliveries.Database.Dialect, connection, null, caller, clock.GetUtcNow(), "feed.read", code,
                after: new { after, count = entries.Count, first = entries.Count > 0 ? entries[0].Sequence : (long?)null, last = entries.Count > 0 ? entries[^1].Sequence : (long?)null }, ct: ct);
        }

        return new FeedPage(entries, entries.Count > 0 ? entries[^1].Sequence : after);
    }
}
