using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PopInfo.ServiceDefaults;

/// <summary>What a service says about itself at <c>GET /api/v1/service</c>: name, purpose, version, and where its API is described.</summary>
public sealed record ServiceInfo(string Name, string Title, string Description, int Port)
{
    public IEndpointRouteBuilder MapServiceInfo(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/service", () => TypedResults.Ok(new
        {
            Name,
            Title,
            Description,
            Version,
            OpenApi = $"/swagger/{Name}/swagger.json",
            SwaggerUi = "/swagger",
        })).WithName($"{Name}-service-info").WithTags("Service").WithGroupName(Name).WithSummary("What this service is.");
        return app;
    }

    /// <summary>The build's version (the entry assembly's informational version: the one the monitoring service shows).</summary>
    public static string Version { get; } =
        System.Reflection.Assembly.GetEntryAssembly()?.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
}
