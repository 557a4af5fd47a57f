using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Inbound;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Exchange.Apis;

/// <summary>Records departments push in (docs/exchange-inbound.md), and the administrator's review of those held.</summary>
public static class InboundApi
{
    public static IEndpointRouteBuilder MapInboundApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/inbound").WithTags("Inbound").WithGroupName(ExchangeModule.Name);

        api.MapPost("", Push).RequireAuthorization(ExchangeAuthentication.DepartmentPolicy)
            .RequireRateLimit(ExchangeModule.Name, ExchangeModule.DepartmentRequests)
            .WithName("PushRecords")
            .WithSummary($"Push up to {InboundService.MaxRecords} records ({{\"records\": [...]}}). The answer has one result per record, in order: queued, held (for review), refused (with the problem) or duplicate. Valid records are stored even when others are refused; a refused record is not stored.")
            .Produces<InboundPushAnswer>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(503);

        // Before "/{recordId}": a literal segment wins, and "reviews" is not a valid record id.
        api.MapGet("/reviews", ListInboundReviews)
            .RequireAuthorization(ExchangeAuthentication.AdminPolicy)
            .WithName("ListInboundReviews")
            .WithSummary("Records held for review, oldest first: the rule that held each, no names, identity numbers masked.")
            .Produces<IReadOnlyList<InboundReview>>();

        api.MapPost("/reviews/{id:guid}/approve", ApproveInboundRecord)
            .RequireAuthorization(ExchangeAuthentication.AdminPolicy)
            .WithName("ApproveInboundRecord")
            .WithSummary("Send a held record's command to the registry as it is (the registry's own rules still apply). Audited.")
            .Produces<InboundRecordView>().ProducesProblem(404).ProducesProblem(409);

        api.MapPost("/reviews/{id:guid}/dismiss", DismissInboundRecord)
            .RequireAuthorization(ExchangeAuthentication.AdminPolicy)
            .WithName("DismissInboundRecord")
            .WithSummary("Close a held record without sending it; give the reason. Audited.")
            .Produces<InboundRecordView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        api.MapGet("/{recordId}", GetInboundRecord)
            .RequireAuthorization(ExchangeAuthentication.DepartmentPolicy)
            .RequireRateLimit(ExchangeModule.Name, ExchangeModule.DepartmentRequests)
            .WithName("GetInboundRecord")
            .WithSummary("One of your records by your record id: its state and the registry's answer (applied: person, version, sequence; rejected: the problem).")
            .Produces<InboundRecordView>().ProducesProblem(404);

        // Not under /api/v1/inbound: "parked" would then have to be a reserved record id, as "reviews" is.
        var parked = app.MapGroup("/api/v1").WithTags("Inbound").WithGroupName(ExchangeModule.Name);
        parked.MapGet("/departments/{code}/parked", ReadParked).RequireAuthorization(ExchangeAuthentication.AdminOrDepartmentPolicy)
            .RequireRateLimit(ExchangeModule.Name, ExchangeModule.DepartmentRequests)
            .WithName("ListParkedInbound")
            .WithSummary("Your AMQP pushes that could not be processed, parked in your queue popinfo.dept.{code}.inbound.parked: how many, the oldest, and the first 100 with the rule that parked each. Nothing is taken from the queue.")
            .Produces<ParkedView>().ProducesProblem(403).ProducesProblem(404);

        parked.MapGet("/parked", ListParkedInboundOfNoDepartment)
            .RequireAuthorization(ExchangeAuthentication.AdminPolicy)
            .WithName("ListParkedInboundOfNoDepartment")
            .WithSummary("AMQP messages parked because they name no department (popinfo.exchange.inbound.parked).")
            .Produces<ParkedView>();

        return app;
    }

    public static async Task<Ok<IReadOnlyList<InboundReview>>> ListInboundReviews(InboundService inbound, CancellationToken ct, string? department = null, int limit = 100) =>
        TypedResults.Ok(await inbound.ReviewsAsync(department, Math.Clamp(limit, 1, 1000), ct));

    public static async Task<Results<Ok<InboundRecordView>, ProblemHttpResult>> ApproveInboundRecord(
        Guid id, InboundService inbound, HttpContext http, CancellationToken ct) =>
        (await inbound.ApproveAsync(Caller.From(http), id, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<InboundRecordView>, ProblemHttpResult>> DismissInboundRecord(
        Guid id, DismissRequest? body, InboundService inbound, HttpContext http, CancellationToken ct) =>
        (await inbound.DismissAsync(Caller.From(http), id, body, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<InboundRecordView>, ProblemHttpResult>> GetInboundRecord(
        string recordId, InboundService inbound, HttpContext http, CancellationToken ct) =>
        await inbound.GetAsync(Caller.From(http).DepartmentCode!, recordId, ct) is { } record
            ? TypedResults.Ok(record)
            : Refusal.NotFound($"You have pushed no record '{recordId}' that the exchange took.").ToTypedResult();

    public static async Task<Results<Ok<ParkedView>, ProblemHttpResult>> ReadParked(
        string code, ParkedMessages messages, DepartmentStore departments, HttpContext http, CancellationToken ct)
    {
        if (!Caller.From(http).MaySee(code))
        {
            return DeliveryApi.NotYours("parked messages");
        }

        return await departments.GetAsync(code, ct) is null
            ? Refusal.NotFound($"No department '{code}'.").ToTypedResult()
            : TypedResults.Ok(await messages.ReadAsync(code, DepartmentTopology.ParkingQueue(code), ct));
    }

    public static async Task<Ok<ParkedView>> ListParkedInboundOfNoDepartment(ParkedMessages messages, CancellationToken ct) =>
        TypedResults.Ok(await messages.ReadAsync(null, DepartmentTopology.PlatformParkingQueue, ct));

    public static async Task<Results<Ok<InboundPushAnswer>, ProblemHttpResult>> Push(JsonElement body, InboundService inbound, HttpContext http, CancellationToken ct)
    {
        var pushed = await inbound.PushAsync(Caller.From(http).DepartmentCode!, body, InboundChannels.Http, ct);
        if (pushed.Refusal is { } refusal)
        {
            // Set here as well as by the problem details writer: a registry that does not answer says when to push again.
            if (refusal.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return refusal.ToTypedResult();
        }

        return TypedResults.Ok(InboundPushAnswer.Of(pushed.Value!));
    }
}
