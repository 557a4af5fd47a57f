using PopInfo.Exchange.Access;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Apis;

/// <summary>The administrator's API: departments, subscriptions, credentials, the audit trail and dead letters.</summary>
public static class DepartmentsApi
{
    public static IEndpointRouteBuilder MapDepartmentsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/departments").WithTags("Departments").WithGroupName(ExchangeModule.Name)
            .RequireAuthorization(ExchangeAuthentication.AdminPolicy);

        admin.MapPost("", async (CreateDepartmentRequest body, DepartmentService departments, HttpContext http, CancellationToken ct) =>
                Answer(await departments.CreateAsync(Caller.From(http), body, ct), created => Results.Created($"/api/v1/departments/{created.Department.Code}", created)))
            .WithName("CreateDepartment")
            .WithSummary("Register a department; provisions its RabbitMQ user and queue. The response holds its credentials: they are shown only this once.")
            .Produces<CreatedDepartment>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(503);

        admin.MapGet("", async (DepartmentStore store, CancellationToken ct) => Results.Ok(await store.ListAsync(ct)))
            .WithName("ListDepartments").Produces<IReadOnlyList<Department>>();

        admin.MapGet("/{code}", async (string code, DepartmentStore store, CancellationToken ct) =>
                await store.GetAsync(code, ct) is { } department ? Results.Ok(department) : Problem.NotFound($"No department '{code}'.").ToResult())
            .WithName("GetDepartment").Produces<Department>().ProducesProblem(404);

        admin.MapPatch("/{code}", async (string code, UpdateDepartmentRequest body, DepartmentService departments, HttpContext http, CancellationToken ct) =>
                Answer(await departments.UpdateAsync(Caller.From(http), code, body, ct), Results.Ok))
            .WithName("UpdateDepartment")
            .WithSummary("Change name, contact, webhook, inbound rights or status (suspended: no new events, broker access withdrawn). Needs expectedVersion.")
            .Produces<Department>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        admin.MapPost("/{code}/credentials/{kind}", async (string code, string kind, DepartmentService departments, HttpContext http, CancellationToken ct) =>
                Answer(await departments.RotateAsync(Caller.From(http), code, kind, ct), Results.Ok))
            .WithName("RotateCredential")
            .WithSummary("Issue a new api-key, amqp-password or webhook-secret; the old one stops working at once. Shown only this once.")
            .Produces<DepartmentCredentials>().ProducesProblem(400).ProducesProblem(404);

        admin.MapPost("/{code}/subscriptions", async (string code, SubscriptionRequest body, DepartmentService departments, HttpContext http, CancellationToken ct) =>
                Answer(await departments.SubscribeAsync(Caller.From(http), code, body, ct), s => Results.Created($"/api/v1/departments/{code}/subscriptions/{s.Id}", s)))
            .WithName("CreateSubscription").WithSummary("Entitle the department to change types, regions and fields, for a stated purpose. Applies to changes from now on.")
            .Produces<Subscription>(201).ProducesProblem(400).ProducesProblem(404);

        admin.MapGet("/{code}/subscriptions", async (string code, DepartmentStore store, CancellationToken ct) => Results.Ok(await store.SubscriptionsAsync(code, ct)))
            .WithName("ListSubscriptions").Produces<IReadOnlyList<Subscription>>();

        admin.MapPut("/{code}/subscriptions/{id:guid}", async (string code, Guid id, SubscriptionRequest body, DepartmentService departments, HttpContext http, CancellationToken ct) =>
                Answer(await departments.ChangeSubscriptionAsync(Caller.From(http), code, id, body, end: false, body.ExpectedVersion, ct), Results.Ok))
            .WithName("ReplaceSubscription").Produces<Subscription>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        admin.MapDelete("/{code}/subscriptions/{id:guid}", async (string code, Guid id, int? expectedVersion, DepartmentService departments, HttpContext http, CancellationToken ct) =>
                Answer(await departments.ChangeSubscriptionAsync(Caller.From(http), code, id, null, end: true, expectedVersion, ct), Results.Ok))
            .WithName("EndSubscription").WithSummary("End a subscription (it stays on record, status 'ended').")
            .Produces<Subscription>().ProducesProblem(404).ProducesProblem(409);

        admin.MapGet("/{code}/audit", async (string code, DepartmentStore store, CancellationToken ct, long after = 0, int limit = 100) =>
                Results.Ok(await store.AuditAsync(code, after, Math.Clamp(limit, 1, 1000), ct)))
            .WithName("GetDepartmentAudit").WithSummary("Every change to the department and its entitlements (before and after), every feed read, every redrive.")
            .Produces<IReadOnlyList<AuditEntry>>();

        admin.MapGet("/{code}/dead-letters", async (string code, DeadLetters deadLetters, CancellationToken ct) => Results.Ok(await deadLetters.ListAsync(code, ct)))
            .WithName("ListDeadLetters").Produces<IReadOnlyList<DeadLetter>>();

        admin.MapPost("/{code}/dead-letters/redrive", async (string code, RedriveRequest? body, DeadLetters deadLetters, HttpContext http, CancellationToken ct) =>
                Results.Ok(new { redriven = await deadLetters.RedriveAsync(Caller.From(http), code, body?.Sequences, ct) }))
            .WithName("RedriveDeadLetters").WithSummary("Send dead-lettered events (all, or the given sequences and what is held behind them) again, in order.");

        return app;
    }

    public static IResult Answer<T>(Outcome<T> outcome, Func<T, IResult> success) =>
        outcome.Problem is null ? success(outcome.Value!) : outcome.Problem.ToResult();
}

public sealed record RedriveRequest(IReadOnlyList<long>? Sequences);
