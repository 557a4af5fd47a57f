using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults;

/// <summary>The plumbing every PopInfo service shares: options, telemetry, health, problem details, OpenAPI, resilience.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    /// <param name="builder">The service's host builder.</param>
    /// <param name="applicationName">The service name used in telemetry ("popinfo-registry", or "popinfo-host" when embedded).</param>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string applicationName)
    {
        builder.Services.AddOptions<PlatformOptions>()
            .BindConfiguration(PlatformOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PlatformOptions>, PlatformOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        // The leases of the single-active loops (relays, projectors): docs/architecture.md, "Several instances".
        builder.Services.AddSingleton<LeaseFactory>();
        AllowedHostsDefault.Apply(builder.Configuration);
        // X-Forwarded-For from the proxies named in PopInfo:ForwardedHeaders only (docs/security.md).
        PopInfo.ServiceDefaults.Security.TrustedProxies.Add(builder);

        builder.AddPlatformTelemetry(applicationName);

        builder.Services.AddHealthChecks();
        builder.Services.AddPlatformProblemDetails();
        builder.Services.Configure<JsonOptions>(o => Contracts.Json.Apply(o.SerializerOptions));

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen();

        // Every outbound HTTP call gets retries with backoff, a circuit breaker and timeouts (Polly).
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>Declares one OpenAPI document, shown in the Swagger UI; endpoints join it with <c>WithGroupName(name)</c>.</summary>
    public static IHostApplicationBuilder AddOpenApiDocument(this IHostApplicationBuilder builder, string name, string title)
    {
        builder.Services.Configure<Swashbuckle.AspNetCore.SwaggerGen.SwaggerGenOptions>(o =>
            o.SwaggerDoc(name, new Microsoft.OpenApi.OpenApiInfo { Title = title, Version = "v1" }));
        builder.Services.Configure<Swashbuckle.AspNetCore.SwaggerUI.SwaggerUIOptions>(o =>
            o.SwaggerEndpoint($"/swagger/{name}/swagger.json", title));
        return builder;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> (behind its scrape credential), the Swagger UI, the error handling middleware and the free-text check of route values and query parameters.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTextGuard();

        // Live: the process answers. Ready: its database and broker answer too.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapMetrics();

        app.UseSwagger();
        app.UseSwaggerUI();
        return app;
    }

    /// <summary>Adds a readiness check (tagged so that <c>/health/ready</c> runs it).</summary>
    public static IHealthChecksBuilder AddReadinessCheck<T>(this IServiceCollection services, string name)
        where T : class, IHealthCheck =>
        services.AddHealthChecks().AddCheck<T>(name, HealthStatus.Unhealthy, [ReadyTag]);
}
