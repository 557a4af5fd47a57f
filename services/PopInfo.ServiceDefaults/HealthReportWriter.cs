using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// Writes the readiness report as JSON, one entry per check, so an operator sees which dependency is down.
/// Only status, check names and durations: health is public, and a check's exception or description can
/// name hosts, users or connection settings. The reason is in the service's log, which is not public.
/// </summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                durationMs = e.Value.Duration.TotalMilliseconds,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Contracts.Json.Options));
    }
}
