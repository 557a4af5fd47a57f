using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Domain.Monitoring;
using PopInfo.Monitoring.Dashboard;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring.Assessment;

/// <summary>
/// Timeliness and assessment for operators (docs/monitoring.md): <c>GET /api/v1/timeliness</c>,
/// <c>GET /api/v1/assessment/communities</c>, <c>GET /api/v1/assessment/departments</c>; JSON, or CSV with <c>?format=csv</c>.
/// </summary>
public static class AssessmentApi
{
    public static IEndpointRouteBuilder MapAssessmentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Timeliness and assessment").WithGroupName(MonitoringModule.Name).RequireOperator();
        group.MapGet("/timeliness", GetTimeliness).WithName("monitoring-timeliness")
            .WithSummary("One day (yyyy-MM-dd): each community's clearing (一日一清) — forms, late, drafts, pending, rejected, cleared, closed by the deadline — and per street summed. ?street= one street; ?format=csv.");
        group.MapGet("/assessment/communities", GetCommunityAssessment).WithName("monitoring-assessment-communities")
            .WithSummary("A month (yyyy-MM) or year (yyyy): each community's timeliness, completeness, score 0–100 and stage, ranked. ?format=csv.");
        group.MapGet("/assessment/departments", GetDepartmentAssessment).WithName("monitoring-assessment-departments")
            .WithSummary("A month (yyyy-MM) or year (yyyy): each department's timeliness, completeness, acknowledgement, score 0–100 and stage, ranked. ?format=csv.");
        return app;
    }

    public static async Task<Results<Ok<TimelinessReport>, FileContentHttpResult, ProblemHttpResult>> GetTimeliness(
        string? day, string? street, string? format, AssessmentService assessment, CancellationToken ct)
    {
        if (FormatProblem(format) is { } bad)
        {
            return bad;
        }

        var outcome = await assessment.TimelinessAsync(day, street, ct);
        return outcome.Value is not { } report ? outcome.Refusal!.ToTypedResult()
            : format is "csv" ? Csv(AssessmentCsv.Timeliness(report), $"timeliness-{report.Day}{(street is null ? "" : "-" + street)}.csv")
            : TypedResults.Ok(report);
    }

    public static async Task<Results<Ok<AssessmentReport<CommunityFigures>>, FileContentHttpResult, ProblemHttpResult>> GetCommunityAssessment(
        string? period, string? format, AssessmentService assessment, CancellationToken ct)
    {
        if (FormatProblem(format) is { } bad)
        {
            return bad;
        }

        var outcome = await assessment.CommunitiesAsync(period, ct);
        return outcome.Value is not { } report ? outcome.Refusal!.ToTypedResult()
            : format is "csv" ? Csv(AssessmentCsv.Communities(report), $"assessment-communities-{report.Period}.csv")
            : TypedResults.Ok(report);
    }

    public static async Task<Results<Ok<AssessmentReport<DepartmentFigures>>, FileContentHttpResult, ProblemHttpResult>> GetDepartmentAssessment(
        string? period, string? format, AssessmentService assessment, CancellationToken ct)
    {
        if (FormatProblem(format) is { } bad)
        {
            return bad;
        }

        var outcome = await assessment.DepartmentsAsync(period, ct);
        return outcome.Value is not { } report ? outcome.Refusal!.ToTypedResult()
            : format is "csv" ? Csv(AssessmentCsv.Departments(report), $"assessment-departments-{report.Period}.csv")
            : TypedResults.Ok(report);
    }

    private static ProblemHttpResult? FormatProblem(string? format) =>
        format is null or "json" or "csv" ? null : Refusal.Invalid("format", "format.known", "format is json (the default) or csv.").ToTypedResult();

    private static FileContentHttpResult Csv(byte[] content, string fileName) => TypedResults.File(content, "text/csv; charset=utf-8", fileName);
}
