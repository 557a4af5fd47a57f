using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Exchange;
using PopInfo.Collection.Forms;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>Forms: create, read, edit, submit, withdraw; and the form types with their fields.</summary>
public static class FormsApi
{
    public static IEndpointRouteBuilder MapFormsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Forms").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        api.MapGet("/form-types", () => Results.Ok(FormTypes.All.Select(t => new { t.Code, t.ChineseName, t.CommandType, t.AboutExistingPerson, t.Required, t.Optional })))
            .WithName("GetFormTypes").WithSummary("The nine forms, with the fields each requires and takes.");

        api.MapPost("/forms", async (CreateFormRequest body, FormService forms, HttpContext http, CancellationToken ct) =>
                Answer(await forms.CreateAsync(DeskUser.From(http), body, ct), http))
            .WithName("CreateForm").WithSummary("A new form in the collector's community: a draft, or submitted at once with submit: true.")
            .Produces<FormView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(503);

        api.MapGet("/forms", async ([FromQuery] string? communityCode, [FromQuery] string? day, [FromQuery] string? state, FormService forms, HttpContext http, CancellationToken ct) =>
            {
                var (list, problem) = await forms.ListAsync(DeskUser.From(http), communityCode, day, state, ct);
                return problem is null ? Results.Ok(list) : problem.ToResult();
            })
            .WithName("ListForms").WithSummary("The forms of a community's day (default: the collector's community, today), optionally in one state.");

        api.MapGet("/forms/{id:guid}", async (Guid id, FormService forms, HttpContext http, CancellationToken ct) =>
                Answer(await forms.GetAsync(DeskUser.From(http), id, ct), http))
            .WithName("GetForm").WithSummary("A form with its life: submitted, sent, accepted (registry version and sequence) or rejected (the problem).")
            .Produces<FormView>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/forms/{id:guid}/deliveries", async (Guid id, FormService forms, ExchangeClient exchange, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await forms.GetAsync(DeskUser.From(http), id, ct);
                if (outcome.Problem is not null)
                {
                    return outcome.Problem.ToResult();
                }

                if (outcome.Form!.Registry?.Sequence is not { } sequence)
                {
                    return Results.Ok(new FormDeliveries(id, null, []));
                }

                try
                {
                    var departments = await exchange.DeliveriesAsync(sequence, ct);
                    return departments is null
                        ? Problem.Conflict("exchange", "exchange.not-configured", "This desk has no key for the exchange (PopInfo:Collection:ExchangeKey).").ToResult()
                        : Results.Ok(new FormDeliveries(id, sequence, departments));
                }
                catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or TaskCanceledException)
                {
                    return Problem.Busy(5).ToResult();
                }
            })
            .WithName("GetFormDeliveries").WithSummary("Which departments have the change of an accepted form: queued, acknowledged, webhook delivered...")
            .Produces<FormDeliveries>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(503);

        api.MapPut("/forms/{id:guid}", async (Guid id, UpdateFormRequest body, FormService forms, HttpContext http, CancellationToken ct) =>
                Answer(await forms.UpdateAsync(DeskUser.From(http), id, body, ct), http))
            .WithName("UpdateForm").WithSummary("New data for a draft or a rejected form (send the revision you read).")
            .Produces<FormView>().ProducesProblem(400).ProducesProblem(409);

        api.MapPost("/forms/{id:guid}/submit", async (Guid id, FormActionRequest? body, FormService forms, HttpContext http, CancellationToken ct) =>
                Answer(await forms.SubmitAsync(DeskUser.From(http), id, body ?? new FormActionRequest(), ct), http))
            .WithName("SubmitForm").WithSummary("Check every rule and send the form to the registry; 202: it is queued, and the form's state follows the registry's answer.")
            .Produces<FormView>(202).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(503);

        api.MapPost("/forms/{id:guid}/withdraw", async (Guid id, FormActionRequest body, FormService forms, HttpContext http, CancellationToken ct) =>
                Answer(await forms.WithdrawAsync(DeskUser.From(http), id, body, ct), http))
            .WithName("WithdrawForm").WithSummary("Drop a draft or a rejected form, with the reason (this deals with a rejection for the daily clearing).")
            .Produces<FormView>().ProducesProblem(400).ProducesProblem(409);
        return app;
    }

    private static IResult Answer(FormService.Outcome outcome, HttpContext http)
    {
        if (outcome.Problem is { } problem)
        {
            // A refusal for now (the register did not answer) says when to try again, as a header too.
            if (problem.Extensions.TryGetValue("retryAfterSeconds", out var seconds))
            {
                http.Response.Headers.RetryAfter = Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture);
            }

            return problem.ToResult();
        }

        return outcome.Status == StatusCodes.Status201Created
            ? Results.Created($"/api/v1/forms/{outcome.Form!.Id}", outcome.Form)
            : Results.Json(outcome.Form, statusCode: outcome.Status);
    }
}

/// <summary>Where the change of a form went: one entry per department subscription that has it (empty before acceptance).</summary>
public sealed record FormDeliveries(Guid FormId, long? RegistrySequence, System.Text.Json.Nodes.JsonArray Departments);
