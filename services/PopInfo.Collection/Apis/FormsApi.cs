using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Exchange;
using PopInfo.Collection.Forms;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>Forms: create, read, edit, submit, withdraw; and the form types with their fields.</summary>
public static class FormsApi
{
    public static IEndpointRouteBuilder MapFormsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Forms").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        api.MapGet("/form-types", GetFormTypes)
            .WithName("GetFormTypes").WithSummary("The nine forms, with the fields each requires and takes.");

        api.MapPost("/forms", CreateForm)
            .WithName("CreateForm").WithSummary("A new form in the collector's community: a draft, or submitted at once with submit: true.")
            .Produces<FormView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(503);

        api.MapGet("/forms", ListForms)
            .WithName("ListForms").WithSummary("The forms of a community's day (default: the collector's community, today), optionally in one state.");

        api.MapGet("/forms/{id:guid}", GetForm)
            .WithName("GetForm").WithSummary("A form with its life: submitted, sent, accepted (registry version and sequence) or rejected (the problem).")
            .Produces<FormView>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/forms/{id:guid}/deliveries", GetFormDeliveries)
            .WithName("GetFormDeliveries").WithSummary("Which departments have the change of an accepted form: queued, acknowledged, webhook delivered...")
            .Produces<FormDeliveries>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(503);

        api.MapPut("/forms/{id:guid}", UpdateForm)
            .WithName("UpdateForm").WithSummary("New data for a draft or a rejected form (send the revision you read).")
            .Produces<FormView>().ProducesProblem(400).ProducesProblem(409);

        api.MapPost("/forms/{id:guid}/submit", SubmitForm)
            .WithName("SubmitForm").WithSummary("Check every rule and send the form to the registry; 202: it is queued, and the form's state follows the registry's answer.")
            .Produces<FormView>(202).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(503);

        api.MapPost("/forms/{id:guid}/withdraw", WithdrawForm)
            .WithName("WithdrawForm").WithSummary("Drop a draft or a rejected form, with the reason (this deals with a rejection for the daily clearing).")
            .Produces<FormView>().ProducesProblem(400).ProducesProblem(409);
        return app;
    }

    public static Ok<IEnumerable<FormTypeView>> GetFormTypes() =>
        TypedResults.Ok(FormTypes.All.Select(t => new FormTypeView(t.Code, t.ChineseName, t.CommandType, t.AboutExistingPerson, t.Required, t.Optional)));

    public static async Task<Results<Created<FormView>, ProblemHttpResult>> CreateForm(CreateFormRequest body, FormService forms, HttpContext http, CancellationToken ct)
    {
        var result = await forms.CreateAsync(DeskUser.From(http), body, ct);
        return result.Value is { } form ? TypedResults.Created($"/api/v1/forms/{form.Id}", form) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<IReadOnlyList<FormView>>, ProblemHttpResult>> ListForms(
        [FromQuery] string? communityCode, [FromQuery] string? day, [FromQuery] string? state, FormService forms, HttpContext http, CancellationToken ct) =>
        (await forms.ListAsync(DeskUser.From(http), communityCode, day, state, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<FormView>, ProblemHttpResult>> GetForm(Guid id, FormService forms, HttpContext http, CancellationToken ct) =>
        (await forms.GetAsync(DeskUser.From(http), id, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<FormDeliveries>, ProblemHttpResult>> GetFormDeliveries(
        Guid id, FormService forms, ExchangeClient exchange, HttpContext http, CancellationToken ct)
    {
        var result = await forms.GetAsync(DeskUser.From(http), id, ct);
        if (result.Refusal is { } refusal)
        {
            return refusal.ToTypedResult();
        }

        if (result.Value!.Registry?.Sequence is not { } sequence)
        {
            return TypedResults.Ok(new FormDeliveries(id, null, []));
        }

        try
        {
            var departments = await exchange.DeliveriesAsync(sequence, ct);
            return departments is null
                ? Refusal.Conflict("exchange", "exchange.not-configured", "This desk has no key for the exchange (PopInfo:Collection:ExchangeKey).").ToTypedResult()
                : TypedResults.Ok(new FormDeliveries(id, sequence, departments));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or TaskCanceledException)
        {
            return Refusal.Busy(5).ToTypedResult();
        }
    }

    public static async Task<Results<Ok<FormView>, ProblemHttpResult>> UpdateForm(
        Guid id, UpdateFormRequest body, FormService forms, HttpContext http, CancellationToken ct) =>
        (await forms.UpdateAsync(DeskUser.From(http), id, body, ct)).ToOkOrProblem();

    /// <summary>202: the form is queued for the registry; its state follows the registry's answer.</summary>
    public static async Task<Results<Accepted<FormView>, ProblemHttpResult>> SubmitForm(
        Guid id, FormActionRequest? body, FormService forms, HttpContext http, CancellationToken ct)
    {
        var result = await forms.SubmitAsync(DeskUser.From(http), id, body ?? new FormActionRequest(), ct);
        return result.Value is { } form ? TypedResults.Accepted((string?)null, form) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<FormView>, ProblemHttpResult>> WithdrawForm(
        Guid id, FormActionRequest body, FormService forms, HttpContext http, CancellationToken ct) =>
        (await forms.WithdrawAsync(DeskUser.From(http), id, body, ct)).ToOkOrProblem();
}

/// <summary>A form type as the desk lists it: the fields it requires and takes.</summary>
public sealed record FormTypeView(string Code, string ChineseName, string CommandType, bool AboutExistingPerson, IReadOnlyList<string> Required, IReadOnlyList<string> Optional);

/// <summary>Where the change of a form went: one entry per department subscription that has it (empty before acceptance).</summary>
public sealed record FormDeliveries(Guid FormId, long? RegistrySequence, System.Text.Json.Nodes.JsonArray Departments);
