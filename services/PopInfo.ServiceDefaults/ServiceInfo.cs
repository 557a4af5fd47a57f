using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace PopInfo.ServiceDefaults;

/// <summary>What a service says about itself at <c>GET /api/v1/service</c>: name, purpose, version, and where its API is described.</summary>
public sealed record ServiceInfo(string Name, string Title, string Description, int Port)
{
    public IEndpointRouteBuilder MapServiceInfo(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Service").WithGroupName(Name);
        api.MapGet("/service", DescribeService).WithName($"{Name}-service-info").WithSummary("What this service is.");
        return app;
    }

    /// <summary>The service's own description (this instance's: one per service).</summary>
    public Ok<ServiceDescription> DescribeService() =>
        TypedResults.Ok(new ServiceDescription(Name, Title, Description, Version, $"/swagger/{Name}/swagger.json", "/swagger"));

    /// <summary>The build's version (the entry assembly's informational version: the one the monitoring service shows).</summary>
    public static string Version { get; } =
        System.Reflection.Assembly.GetEntryAssembly()?.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
}

/// <summary>The answer of <c>GET /api/v1/service</c>: the service's name, title, purpose, build version, and its API documents.</summary>
public sealed record ServiceDescription(string Name, string Title, string Description, string Version, string OpenApi, string SwaggerUi);
