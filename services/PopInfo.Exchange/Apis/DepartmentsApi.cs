using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Apis;

/// <summary>The administrator's API: departments, subscriptions, credentials, the audit trail and dead letters.</summary>
public static class DepartmentsApi
{
    public static IEndpointRouteBuilder MapDepartmentsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/departments").WithTags("Departments").WithGroupName(ExchangeModule.Name)
            .RequireAuthorization(ExchangeAuthentication.AdminPolicy);

        admin.MapPost("", CreateDepartment)
            .WithName("CreateDepartment")
            .WithSummary("Register a department; provisions its RabbitMQ user and queue. The response holds its credentials: they are shown only this once.")
            .Produces<CreatedDepartment>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(503);

        admin.MapGet("", ListDepartments)
            .WithName("ListDepartments").Produces<IReadOnlyList<Department>>();

        admin.MapGet("/{code}", GetDepartment)
            .WithName("GetDepartment").Produces<Department>().ProducesProblem(404);

        admin.MapPatch("/{code}", UpdateDepartment)
            .WithName("UpdateDepartment")
            .WithSummary("Change name, contact, webhook, inbound rights or status (suspended: no new events, broker access withdrawn). Needs expectedVersion.")
            .Produces<Department>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        admin.MapPost("/{code}/credentials/{kind}", RotateCredential)
            .WithName("RotateCredential")
            .WithSummary("Issue a new api-key, amqp-password or webhook-secret; the old one stops working at once. Shown only this once.")
            .Produces<DepartmentCredentials>().ProducesProblem(400).ProducesProblem(404);

        admin.MapPost("/{code}/subscriptions", CreateSubscription)
            .WithName("CreateSubscription").WithSummary("Entitle the department to change types, regions and fields, for a stated purpose. Applies to changes from now on.")
            .Produces<Subscription>(201).ProducesProblem(400).ProducesProblem(404);

        admin.MapGet("/{code}/subscriptions", ListSubscriptions)
            .WithName("ListSubscriptions").Produces<IReadOnlyList<Subscription>>();

        admin.MapPut("/{code}/subscriptions/{id:guid}", ReplaceSubscription)
            .WithName("ReplaceSubscription").Produces<Subscription>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        admin.MapDelete("/{code}/subscriptions/{id:guid}", EndSubscription)
            .WithName("EndSubscription").WithSummary("End a subscription (it stays on record, status 'ended').")
            .Produces<Subscription>().ProducesProblem(404).ProducesProblem(409);

        admin.MapGet("/{code}/audit", GetDepartmentAudit)
            .WithName("GetDepartmentAudit").WithSummary("Every change to the department and its entitlements (before and after), every feed read, every redrive.")
            .Produces<IReadOnlyList<AuditEntry>>();

        admin.MapGet("/{code}/dead-letters", ListDeadLetters)
            .WithName("ListDeadLetters").Produces<IReadOnlyList<DeadLetter>>();

        admin.MapPost("/{code}/dead-letters/redrive", RedriveDeadLetters)
            .WithName("RedriveDeadLetters").WithSummary("Send dead-lettered events (all, or the given sequences and what is held behind them) again, in order.");

        return app;
    }

    public static async Task<Results<Created<CreatedDepartment>, ProblemHttpResult>> CreateDepartment(
        CreateDepartmentRequest body, DepartmentService departments, HttpContext http, CancellationToken ct)
    {
        var result = await departments.CreateAsync(Caller.From(http), body, ct);
        return result.Value is { } created
            ? TypedResults.Created($"/api/v1/departments/{created.Department.Code}", created)
            : result.Refusal!.ToTypedResult();
    }

    public static async Task<Ok<IReadOnlyList<Department>>> ListDepartments(DepartmentStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    public static async Task<Results<Ok<Department>, ProblemHttpResult>> GetDepartment(string code, DepartmentStore store, CancellationToken ct) =>
        await store.GetAsync(code, ct) is { } department ? TypedResults.Ok(department) : Refusal.NotFound($"No department '{code}'.").ToTypedResult();

    public static async Task<Results<Ok<Department>, ProblemHttpResult>> UpdateDepartment(
        string code, UpdateDepartmentRequest body, DepartmentService departments, HttpContext http, CancellationToken ct) =>
        (await departments.UpdateAsync(Caller.From(http), code, body, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<DepartmentCredentials>, ProblemHttpResult>> RotateCredential(
        string code, string kind, DepartmentService departments, HttpContext http, CancellationToken ct) =>
        (await departments.RotateAsync(Caller.From(http), code, kind, ct)).ToOkOrProblem();

    public static async Task<Results<Created<Subscription>, ProblemHttpResult>> CreateSubscription(
        string code, SubscriptionRequest body, DepartmentService departments, HttpContext http, CancellationToken ct)
    {
        var result = await departments.SubscribeAsync(Caller.From(http), code, body, ct);
        return result.Value is { } subscription
            ? TypedResults.Created($"/api/v1/departments/{code}/subscriptions/{subscription.Id}", subscription)
            : result.Refusal!.ToTypedResult();
    }

    public static async Task<Ok<IReadOnlyList<Subscription>>> ListSubscriptions(string code, DepartmentStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.SubscriptionsAsync(code, ct));

    public static async Task<Results<Ok<Subscription>, ProblemHttpResult>> ReplaceSubscription(
        string code, Guid id, SubscriptionRequest body, DepartmentService departments, HttpContext http, CancellationToken ct) =>
        (await departments.ChangeSubscriptionAsync(Caller.From(http), code, id, body, end: false, body.ExpectedVersion, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<Subscription>, ProblemHttpResult>> EndSubscription(
        string code, Guid id, int? expectedVersion, DepartmentService departments, HttpContext http, CancellationToken ct) =>
        (await departments.ChangeSubscriptionAsync(Caller.From(http), code, id, null, end: true, expectedVersion, ct)).ToOkOrProblem();

    // Clamped rather than refused: the administrator's page asks for what it shows.
    public static async Task<Ok<IReadOnlyList<AuditEntry>>> GetDepartmentAudit(string code, DepartmentStore store, CancellationToken ct, long after = 0, int limit = 100) =>
        TypedResults.Ok(await store.AuditAsync(code, after, Math.Clamp(limit, 1, 1000), ct));

    public static async Task<Ok<IReadOnlyList<DeadLetter>>> ListDeadLetters(string code, DeadLetters deadLetters, CancellationToken ct) =>
        TypedResults.Ok(await deadLetters.ListAsync(code, ct));

    public static async Task<Ok<RedriveAnswer>> RedriveDeadLetters(string code, RedriveRequest? body, DeadLetters deadLetters, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(new RedriveAnswer(await deadLetters.RedriveAsync(Caller.From(http), code, body?.Sequences, ct)));
}

public sealed record RedriveRequest(IReadOnlyList<long>? Sequences);

/// <summary>How many dead-lettered events were sent again.</summary>
public sealed record RedriveAnswer(int Redriven);
