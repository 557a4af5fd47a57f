using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Domain.Regions;
using PopInfo.Registry.Commands;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Apis;

public static class HouseholdsApi
{
    public static IEndpointRouteBuilder MapHouseholdsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Households and regions").WithGroupName(RegistryModule.Name);
        api.MapPost("/households", async (CreateHouseholdRequest body, HouseholdCommands c, CancellationToken ct) =>
                (await c.CreateAsync(body, ct)).ToHttpResult("/api/v1/households"))
            .WithName("CreateHousehold").WithSummary("Create a household (户) at an address.")
            .Produces<HouseholdView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/households/{id:guid}", GetHousehold).WithName("GetHousehold").WithSummary("A household and its living members.");
        api.MapGet("/regions", GetRegions).WithName("GetRegions")
            .WithSummary("Regions: the city's districts with no parent given, else the children of 'parent'.");
        return app;
    }

    public static async Task<Results<Ok<HouseholdView>, ProblemHttpResult>> GetHousehold(Guid id, PersonQueries queries, CancellationToken ct)
    {
        var household = await queries.GetHouseholdAsync(id, ct);
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
