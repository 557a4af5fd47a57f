using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Days;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>Daily clearing: the reports of a community's and a street's day, the supervisor's board, and closing a day.</summary>
public static class DaysApi
{
    public static IEndpointRouteBuilder MapDaysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Daily clearing").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        api.MapGet("/communities/{communityCode}/days/{day}/report", GetCommunityDayReport)
            .WithName("GetCommunityDayReport").WithSummary("Forms of the day by type: drafts, pending, accepted, rejected, withdrawn, late; cleared or not; closed or not.")
            .Produces<CommunityDayReport>().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/communities/{communityCode}/days/{day}/close", CloseDay)
            .WithName("CloseDay").WithSummary("Close a cleared day (409 day.not-cleared lists the forms in the way). A closed day takes no new forms.")
            .Produces<CommunityDayReport>().ProducesProblem(403).ProducesProblem(409);

        api.MapGet("/streets/{streetCode}/days/{day}/report", GetStreetDayReport)
            .WithName("GetStreetDayReport").WithSummary("Supervisor: every community of the street, and which have not cleared or closed the day.")
            .Produces<StreetDayReport>().ProducesProblem(403).ProducesProblem(404);

        // Query values as text: a bad one is answered by field and rule (board.days, date.format), not by the binder's bare 400.
        api.MapGet("/streets/{streetCode}/board", GetStreetBoard)
            .WithName("GetStreetBoard")
            .WithSummary("Supervisor's board: every community of the street on the last days (days=1..31, default 7, ending with to=yyyy-MM-dd, default today), newest first: cleared, closed, counts.")
            .Produces<StreetBoard>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    public static async Task<Results<Ok<CommunityDayReport>, ProblemHttpResult>> GetCommunityDayReport(
        string communityCode, string day, DayService days, HttpContext http, CancellationToken ct) =>
        (await days.CommunityReportAsync(DeskUser.From(http), communityCode, day, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<CommunityDayReport>, ProblemHttpResult>> CloseDay(
        string communityCode, string day, DayService days, HttpContext http, CancellationToken ct) =>
        (await days.CloseAsync(DeskUser.From(http), communityCode, day, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<StreetDayReport>, ProblemHttpResult>> GetStreetDayReport(
        string streetCode, string day, DayService days, HttpContext http, CancellationToken ct) =>
        (await days.StreetReportAsync(DeskUser.From(http), streetCode, day, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<StreetBoard>, ProblemHttpResult>> GetStreetBoard(
        string streetCode, [FromQuery] string? days, [FromQuery] string? to, DayService dayService, HttpContext http, CancellationToken ct) =>
        (await dayService.BoardAsync(DeskUser.From(http), streetCode, days, to, ct)).ToOkOrProblem();
}
