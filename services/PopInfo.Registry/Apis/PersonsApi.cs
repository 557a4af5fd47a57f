using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Registry.Commands;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Registry.Apis;

public static class PersonsApi
{
    private const string Persons = "/api/v1/persons";

    public static IEndpointRouteBuilder MapPersonsApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/api/v1").WithTags("Persons").WithGroupName(RegistryModule.Name);
        var api = root.MapGroup("").RequireScope(PlatformScopes.RegistryWrite);
        // Look-ups of persons count per caller (RegistryModule.LookUps), after the token is checked.
        var reads = root.MapGroup("").RequireScope(PlatformScopes.RegistryRead).RequireRateLimit(RegistryModule.Name, RegistryModule.LookUps);

        api.MapPost("/persons", PostNewPerson<RegisterPerson>)
            .WithName("RegisterPerson").WithSummary("Enter a person living in the city who is not yet in the register.").ProducesChange(StatusCodes.Status201Created);
        api.MapPost("/births", PostNewPerson<RegisterBirth>)
            .WithName("RegisterBirth").WithSummary("Register a newborn, with the mother and household where known.").ProducesChange(StatusCodes.Status201Created);
        api.MapPost("/move-ins", PostNewPerson<MoveIn>)
            .WithName("MoveIn").WithSummary("A registered resident moves into the city (new, or returning with expectedVersion).").ProducesChange(StatusCodes.Status201Created);
        api.MapPost("/migrant-arrivals", PostNewPerson<MigrantArrival>)
            .WithName("MigrantArrival").WithSummary("A migrant arrives (new, or returning with expectedVersion).").ProducesChange(StatusCodes.Status201Created);

        api.MapPost("/persons/{id:guid}/death", PostOnPerson<RegisterDeath>)
            .WithName("RegisterDeath").WithSummary("Register a death.").ProducesChange(StatusCodes.Status200OK);
        api.MapPost("/persons/{id:guid}/move-within-city", PostOnPerson<MoveWithinCity>)
            .WithName("MoveWithinCity").WithSummary("Move to another address in the city, optionally with the household registration.").ProducesChange(StatusCodes.Status200OK);
        api.MapPost("/persons/{id:guid}/move-out", PostOnPerson<MoveOut>)
            .WithName("MoveOut").WithSummary("A registered resident moves out of the city.").ProducesChange(StatusCodes.Status200OK);
        api.MapPost("/persons/{id:guid}/migrant-departure", PostOnPerson<MigrantDeparture>)
            .WithName("MigrantDeparture").WithSummary("A migrant leaves the city.").ProducesChange(StatusCodes.Status200OK);
        api.MapPost("/persons/{id:guid}/corrections", PostOnPerson<CorrectDetails>)
            .WithName("CorrectDetails").WithSummary("Correct personal details; only the fields sent change.").ProducesChange(StatusCodes.Status200OK);
        api.MapPost("/persons/{id:guid}/household", PostOnPerson<ChangeHousehold>)
            .WithName("ChangeHousehold").WithSummary("Join or leave a household, or change the relationship to its head.").ProducesChange(StatusCodes.Status200OK);

        reads.MapGet("/persons/{id:guid}", GetPerson).WithName("GetPerson")
            .WithSummary("A person now, or as the register knew them at a past time (asOf, ISO 8601).");
        reads.MapGet("/persons/by-id-number/{idNumber}", GetByIdNumber).WithName("GetPersonByIdNumber")
            .WithSummary("A person by resident identity number (a lower-case x is accepted).");
        reads.MapGet("/persons", FindByName).WithName("FindPersonsByName")
            .WithSummary("People with exactly this name (?name=, required; ?limit= 1–50, default 20), ordered by identity number.");
        reads.MapGet("/persons/{id:guid}/history", GetHistory).WithName("GetPersonHistory")
            .WithSummary("Every version of a person, oldest first, with when each happened and was recorded.");
        return app;
    }

    /// <summary>
    /// A command that enters a person (new to the register, or returning): the record's type chooses the command
    /// (<see cref="PersonCommands.ApplyAsync"/>, as for the bus), the caller is its source.
    /// </summary>
    public static async Task<Results<StoredAnswerResult, ProblemHttpResult>> PostNewPerson<TCommand>(
        TCommand body, ClaimsPrincipal user, PersonCommands commands, CancellationToken ct)
        where TCommand : RegistryCommand =>
        (await commands.ApplyAsync(body.From(user), null, ct)).ToHttpResult(Persons);

    /// <summary>A command on the person of the route's <paramref name="id"/>, chosen by the record's type.</summary>
    public static async Task<Results<StoredAnswerResult, ProblemHttpResult>> PostOnPerson<TCommand>(
        Guid id, TCommand body, ClaimsPrincipal user, PersonCommands commands, CancellationToken ct)
        where TCommand : PersonCommand =>
        (await commands.ApplyAsync(body.From(user), id, ct)).ToHttpResult(Persons);

    private static RouteHandlerBuilder ProducesChange(this RouteHandlerBuilder route, int status) => route
        .Produces<ChangeResult>(status)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> GetPerson(
        Guid id, [FromQuery] DateTimeOffset? asOf, ClaimsPrincipal user, PersonReadStore store, ReadAuditStore audit, CancellationToken ct)
    {
        var version = await store.GetAsync(id, asOf, ct);
        await audit.WriteAsync(user, "person.get", version is null ? [] : [id], asOf is null ? null : $"asOf {asOf:O}", ct);
        return version is null
            ? TypedResults.Problem(Problem.NotFound(asOf is null ? $"No person with id {id}." : $"No version of person {id} was recorded by {asOf:O}."))
            : TypedResults.Ok(PersonResponse.From(version));
    }

    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> GetByIdNumber(
        string idNumber, ClaimsPrincipal user, PersonReadStore store, ReadAuditStore audit, CancellationToken ct)
    {
        var version = await store.GetByIdNumberAsync(idNumber, ct);
        await audit.WriteAsync(user, "person.by-id-number", version is null ? [] : [version.Record.PersonId], version is null ? "not found" : null, ct);
        return version is null
            ? TypedResults.Problem(Problem.NotFound("No person with this identity number is in the register."))
            : TypedResults.Ok(PersonResponse.From(version));
    }

    public static async Task<Results<Ok<IReadOnlyList<PersonResponse>>, ProblemHttpResult>> FindByName(
        [FromQuery] string? name, [FromQuery] int? limit, ClaimsPrincipal user, PersonReadStore store, ReadAuditStore audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return TypedResults.Problem(Problem.Validation("name", "required", "Give the name to search for."));
        }

        if (limit is < 1 or > 50)
        {
            return TypedResults.Problem(Problem.Validation("limit", "limit.range", "limit is between 1 and 50."));
        }

        var found = await store.FindByNameAsync(name, limit ?? 20, ct);
        await audit.WriteAsync(user, "person.by-name", found.Select(v => v.Record.PersonId), $"{found.Count} found", ct);
        return TypedResults.Ok<IReadOnlyList<PersonResponse>>([.. found.Select(PersonResponse.From)]);
    }

    public static async Task<Results<Ok<IReadOnlyList<PersonResponse>>, ProblemHttpResult>> GetHistory(
        Guid id, ClaimsPrincipal user, PersonReadStore store, ReadAuditStore audit, CancellationToken ct)
    {
        var history = await store.HistoryAsync(id, ct);
        await audit.WriteAsync(user, "person.history", history.Count == 0 ? [] : [id], null, ct);
        return history.Count == 0
            ? TypedResults.Problem(Problem.NotFound($"No person with id {id}."))
            : TypedResults.Ok<IReadOnlyList<PersonResponse>>([.. history.Select(PersonResponse.From)]);
    }
}
