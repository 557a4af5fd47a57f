using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PopInfo.ServiceDefaults;

/// <summary>What a service says about itself at <c>GET /api/v1/service</c>: name, purpose, and where its API is described.</summary>
public sealed record ServiceInfo(string Name, string Title, string Description, int Port)
{
    public IEndpointRouteBuilder MapServiceInfo(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/service", () => TypedResults.Ok(new
        {
            Name,
            Title,
            Description,
            OpenApi = $"/swagger/{Name}/swagger.json",
            SwaggerUi = "/swagger",
        })).WithName($"{Name}-service-info").WithTags("Service").WithGroupName(Name).WithSummary("What this service is.");
        return app;
    }
}
