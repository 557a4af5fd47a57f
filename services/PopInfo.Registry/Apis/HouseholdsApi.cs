using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Domain.Regions;
using PopInfo.Registry.Commands;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Apis;

public static class HouseholdsApi
{
    public static IEndpointRouteBuilder MapHouseholdsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Households and regions").WithGroupName(RegistryModule.Name);
        api.MapPost("/households", PostHousehold)
            .RequireScope(PlatformScopes.RegistryWrite).WithName("CreateHousehold").WithSummary("Create a household (户) at an address.")
            .Produces<HouseholdView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/households/{id:guid}", GetHousehold).RequireScope(PlatformScopes.RegistryRead).WithName("GetHousehold").WithSummary("A household and its living members.");
        api.MapGet("/regions", GetRegions).RequireScope(PlatformScopes.RegistryRead).WithName("GetRegions")
            .WithSummary("Regions: the city's districts with no parent given, else the children of 'parent'.");
        return app;
    }

    public static async Task<Results<StoredAnswerResult, ProblemHttpResult>> PostHousehold(
        CreateHouseholdRequest body, ClaimsPrincipal user, HouseholdCommands commands, CancellationToken ct) =>
        (await commands.CreateAsync(body.From(user), ct)).ToHttpResult("/api/v1/households");

    public static async Task<Results<Ok<HouseholdView>, ProblemHttpResult>> GetHousehold(
        Guid id, ClaimsPrincipal user, PersonReadStore store, ReadAuditStore audit, CancellationToken ct)
    {
        var household = await store.GetHouseholdAsync(id, ct);
        await audit.WriteAsync(user, "household.get", household?.Members.Select(m => m.PersonId) ?? [], $"household {id}", ct);
        return household is null ? TypedResults.Problem(Problem.NotFound($"No household with id {id}.")) : TypedResults.Ok(household);
    }

    public static Results<Ok<IReadOnlyList<Region>>, ProblemHttpResult> GetRegions(RegionCatalogue regions, string? parent = null)
    {
        if (parent is not null && !regions.Contains(parent))
        {
            return TypedResults.Problem(Problem.Validation("parent", "region.exists", "No region has this code."));
        }

        return TypedResults.Ok(regions.ChildrenOf(parent ?? regions.CityCode));
    }
}
