using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Monitoring.Dashboard;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring.Flow;

/// <summary>The platform's flow now and the samples over time, for operators (docs/monitoring.md, "Flow").</summary>
public static class FlowApi
{
    public static IEndpointRouteBuilder MapFlowApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Flow").WithGroupName(MonitoringModule.Name).RequireOperator();
        group.MapGet("/flow", GetFlow).WithName("monitoring-flow")
            .WithSummary("The registry's relay backlog, each department's backlog, lag and deliveries, the read models' lag, from the latest samples.");
        group.MapGet("/samples", GetSamples).WithName("monitoring-samples")
            .WithSummary("One metric's samples between 'from' and 'to' (default: the last hour), of one subject or all.");
        return app;
    }

    public static async Task<Ok<FlowView>> GetFlow(FlowService flow, CancellationToken ct) => TypedResults.Ok(await flow.NowAsync(ct));

    public static async Task<Results<Ok<SampleSeries>, ProblemHttpResult>> GetSamples(FlowService flow, CancellationToken ct, string? metric = null,
        string? subject = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var result = await flow.SeriesAsync(metric, subject, from, to, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Refusal!.ToTypedResult();
    }
}
