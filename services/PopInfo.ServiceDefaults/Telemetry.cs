using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// OpenTelemetry traces, metrics and logs; exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT names a collector; the
/// metrics also in Prometheus' text format at <c>/metrics</c> (<see cref="MetricsEndpoint"/>).
/// </summary>
public static class Telemetry
{
    /// <summary>The meter and activity source of PopInfo's own instruments.</summary>
    public const string SourceName = "PopInfo";

    public static IHostApplicationBuilder AddPlatformTelemetry(this IHostApplicationBuilder builder, string applicationName)
    {
        // Request paths can carry an identity number (GET /persons/by-id-number/...): the framework's
        // per-request logs stay off so that no full number reaches a log; warnings and errors remain.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.Error);
        // The same for outbound calls: HttpClientFactory logs each request URI at Information, and a
        // service asking the registry for a person by identity number would log the number.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(applicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddDatabaseInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(SourceName)
                // Scraped at /metrics (MetricsEndpoint), behind the scrape credential.
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSamplerIfConfigured(TraceSampling.FromConfiguration(builder.Configuration))
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Neither health probes nor scrapes make traces (Prometheus asks every 15 s).
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments(MetricsEndpoint.Path);
                    // Spans carry the route template, never the concrete path with its personal data.
                    o.EnrichWithHttpResponse = (activity, response) =>
                    {
                        var template = (response.HttpContext.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText;
                        activity.SetTag("url.path", template ?? "(unmatched)");
                        activity.SetTag("url.query", null);
                    };
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                    activity.SetTag("url.full", PersonalData.RedactUri(request.RequestUri)))
                .AddDatabaseInstrumentation()
                .AddSource("MassTransit")
                .AddSource(SourceName));

        // Registered here, before the bus: the first message sent already carries its trace's id.
        builder.Services.AddHostedService<TracePropagationListener>();

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    private static TracerProviderBuilder SetSamplerIfConfigured(this TracerProviderBuilder tracing, Sampler? sampler) =>
        sampler is null ? tracing : tracing.SetSampler(sampler);
}
