using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Reference;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>
/// The desk's pickers (docs/desk.md, "Pickers and the identity number"): the city's regions for cascading district →
/// street → community choosers, and the national county list for origins and an identity number's place of issue.
/// Reference data, not personal data: any desk session may read it. Codes typed by hand are still accepted by the forms.
/// </summary>
public static class ReferenceApi
{
    public const string CacheControl = "private, max-age=3600";

    public static IEndpointRouteBuilder MapReferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Pickers").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        // The lists change only with a release, and every answer (a 400 or 404 too) follows from the request alone: the
        // browser may keep it for an hour, so a picker opened again asks nothing. Private: it came through a session.
        api.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            context.HttpContext.Response.Headers.CacheControl = CacheControl;
            return result;
        });

        api.MapGet("/regions", GetCityRegions).WithName("GetDeskRegions")
            .WithSummary("The city and its districts and county-level cities: where the district → street → community picker starts.");
        api.MapGet("/regions/{regionCode}", GetDeskRegion).WithName("GetDeskRegion")
            .WithSummary("A region (6, 9 or 12 digits) with its name, level, the source of its name and the chain above it.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/regions/{regionCode}/children", GetDeskRegionChildren).WithName("GetDeskRegionChildren")
            .WithSummary("The regions directly below a region: a district's streets, a street's communities.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/reference/counties", SearchCounties).WithName("SearchCounties")
            .WithSummary("China's counties since 1981 by name or code prefix (q, at most 6 digits), best match first, abolished ones with their years.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/reference/counties/{countyCode}", GetCounty).WithName("GetCounty")
            .WithSummary("A six-digit county code: its name in use or its last name, every name it had with their years, and where an abolished county went.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Ok<RegionChildren> GetCityRegions(ReferenceQueries reference) => TypedResults.Ok(reference.City());

    public static Results<Ok<RegionDetail>, ProblemHttpResult> GetDeskRegion(string regionCode, ReferenceQueries reference) =>
        reference.DetailOf(regionCode).ToOkOrProblem();

    public static Results<Ok<RegionChildren>, ProblemHttpResult> GetDeskRegionChildren(string regionCode, ReferenceQueries reference) =>
        reference.ChildrenOf(regionCode).ToOkOrProblem();

    public static Results<Ok<CountySearchView>, ProblemHttpResult> SearchCounties(string? q, int? limit, ReferenceQueries reference) =>
        reference.SearchCounties(q, limit).ToOkOrProblem();

    public static Results<Ok<CountyCodeView>, ProblemHttpResult> GetCounty(string countyCode, ReferenceQueries reference) =>
        reference.CountyOf(countyCode).ToOkOrProblem();
}
