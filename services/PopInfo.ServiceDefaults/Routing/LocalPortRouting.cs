using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PopInfo.ServiceDefaults.Routing;

/// <summary>Endpoint metadata: the endpoint answers only connections that arrived on this local port.</summary>
public sealed record LocalPortMetadata(int Port);

/// <summary>
/// Routes each module of the embedded host (and each service's route in the gateway) by the local port its connection arrived on
/// (<see cref="ConnectionInfo.LocalPort"/>), which the client cannot choose once connected. Not by the
/// Host header (<c>RequireHost</c>): a client sets that to anything, so a request to the desk's port with
/// <c>Host: x:5101</c> reached the registry's routes. Every module maps <c>/api/v1/service</c> and more
/// paths alike, so this is a matcher policy: of the candidates for a path, only those of the connection's
/// port stay valid. Endpoints without the metadata (health, Swagger) answer on every port.
/// </summary>
public sealed class LocalPortMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Among the selector policies the order does not matter here: this one only takes candidates away.
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<LocalPortMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var port = httpContext.Connection.LocalPort;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<LocalPortMetadata>() is { } only && only.Port != port)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}

public static class LocalPortRouting
{
    public static IServiceCollection AddLocalPortRouting(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, LocalPortMatcherPolicy>());
        return services;
    }

    /// <summary>The endpoints answer only connections that arrived on <paramref name="port"/>.</summary>
    public static TBuilder RequireLocalPort<TBuilder>(this TBuilder builder, int port)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new LocalPortMetadata(port));
}
