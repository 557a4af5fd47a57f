using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Sharing.Operations;

/// <summary>
/// The departments' operations (scope <c>sharing.read</c>, each within the department's grant): every one a POST with a
/// JSON body, so that no identity number reaches a URL or an access log (docs/sharing.md).
/// </summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Operations").WithGroupName(SharingModule.Name).RequireScope(PlatformScopes.SharingRead);
        api.MapPost("/verify", Verify).WithName("VerifyPerson")
            .WithSummary("核验: does the person with this identity number have this name (and birth date, sex)? match, no-match, deceased or moved-away; no personal data.")
            .Produces<VerifyAnswer>().ProducesRefusals();
        api.MapPost("/lookup", Lookup).WithName("LookUpPerson")
            .WithSummary("One person by identity number, or the persons with an exact name and birth date (and region): the granted fields only, masked as granted.")
            .Produces<LookupAnswer>().ProducesRefusals();
        api.MapPost("/batch/verify", BatchVerify).WithName("BatchVerifyPersons")
            .WithSummary("Up to 1,000 verifications; each item answered (or its problems named) and audited on its own, each counted against the quota.")
            .Produces<BatchVerifyAnswer>().ProducesRefusals();
        api.MapPost("/batch/lookup", BatchLookup).WithName("BatchLookUpPersons")
            .WithSummary("Up to 1,000 look-ups; each item answered (or its problems named) and audited on its own, each counted against the quota.")
            .Produces<BatchLookupAnswer>().ProducesRefusals();
        api.MapPost("/household", Household).WithName("LookUpHousehold")
            .WithSummary("The household of the person with this identity number: its members, their relationships to the head and granted fields.")
            .Produces<HouseholdAnswer>().ProducesRefusals();
        return app;
    }

    public static async Task<Results<Ok<VerifyAnswer>, ProblemHttpResult>> Verify(VerifyRequest body, HttpContext http, SharingService sharing, CancellationToken ct) =>
        (await sharing.VerifyAsync(SharingCaller.From(http), body, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<LookupAnswer>, ProblemHttpResult>> Lookup(LookupRequest body, HttpContext http, SharingService sharing, CancellationToken ct) =>
        (await sharing.LookupAsync(SharingCaller.From(http), body, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<BatchVerifyAnswer>, ProblemHttpResult>> BatchVerify(BatchVerifyRequest body, HttpContext http, SharingService sharing, CancellationToken ct) =>
        (await sharing.BatchVerifyAsync(SharingCaller.From(http), body, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<BatchLookupAnswer>, ProblemHttpResult>> BatchLookup(BatchLookupRequest body, HttpContext http, SharingService sharing, CancellationToken ct) =>
        (await sharing.BatchLookupAsync(SharingCaller.From(http), body, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<HouseholdAnswer>, ProblemHttpResult>> Household(HouseholdRequest body, HttpContext http, SharingService sharing, CancellationToken ct) =>
        (await sharing.HouseholdAsync(SharingCaller.From(http), body, ct)).ToOkOrProblem();

    // What every operation may answer instead: bad input, a refusal by the grant, a limit, the service unable to answer.
    private static RouteHandlerBuilder ProducesRefusals(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
