using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Security.RateLimits;

/// <summary>
/// Rate limits with counters in the service's database (<see cref="RateLimitCounterStore"/>), applied by an endpoint filter
/// (<see cref="RequireRateLimit{TBuilder}"/>) or, where the key is in the body (a sign-in's account name), by the handler.
/// <para>
/// Why not ASP.NET Core's rate-limiting middleware (<c>AddRateLimiter</c>, <c>RequireRateLimiting</c>): its partition key
/// is chosen synchronously from the <c>HttpContext</c> before the endpoint reads the body, so "per account name" cannot be
/// said; its first call on every request is the synchronous <c>RateLimiter.AttemptAcquire</c>, where a database round trip
/// would block a thread — a database-backed limiter could only refuse there and count in <c>AcquireAsync</c>, which the
/// middleware then reports as a queued request on every call; and its partitioned limiter keeps a limiter object per key
/// in the process's memory, which is what counters shared by several instances make unnecessary. The filter runs after
/// authentication and authorisation, so a request without a valid token is never counted against a client.
/// </para>
/// </summary>
public static class RateLimitRegistration
{
    /// <summary>The counter of one service's database (keyed by the service's name) and the hourly clean-up of ended windows.</summary>
    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder, string serviceName, params RateLimitPolicy[] policies)
    {
        foreach (var policy in policies)
        {
            if (builder.Services.Any(s => s.ServiceType == typeof(RateLimitPolicy) && Equals(s.ServiceKey, policy.Name)))
            {
                continue;
            }

            builder.Services.AddKeyedSingleton(policy.Name, policy);
            builder.Services.AddOptions<RateLimitSetting>(policy.Name)
                .Configure(s => (s.PermitLimit, s.Window) = (policy.PermitLimit, policy.Window))
                .BindConfiguration($"{RateLimitSetting.Section}:{policy.Setting}")
                .Validate(s => s.IsValid, $"{RateLimitSetting.Section}:{policy.Setting}: PermitLimit is at least 1 and Window whole seconds from 00:00:01 to 1.00:00:00.")
                .ValidateOnStart();
        }

        builder.Services.AddKeyedSingleton(serviceName, (sp, _) => new RateLimitCounterStore(
            sp.GetRequiredKeyedService<ServiceDatabase>(serviceName), sp.GetRequiredService<IOptionsMonitor<RateLimitSetting>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IHostedService>(sp => new Pruner(
            sp.GetRequiredKeyedService<RateLimitCounterStore>(serviceName), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RateLimitCounterStore>>()));
        return builder;
    }

    /// <summary>Counts each request by the policy's key in <paramref name="serviceName"/>'s database; over the limit, 429.</summary>
    public static TBuilder RequireRateLimit<TBuilder>(this TBuilder builder, string serviceName, RateLimitPolicy policy) where TBuilder : IEndpointConventionBuilder
    {
        var key = policy.Key ?? throw new ArgumentException($"The limit {policy.Name} has no key of the request; count it in the handler.", nameof(policy));
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), ["application/problem+json"]));
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var decision = await http.RequestServices.GetRequiredKeyedService<RateLimitCounterStore>(serviceName).HitAsync(policy, key(http), http.RequestAborted);
            return decision.Allowed ? await next(context) : decision.ToProblem().ToResult();
        });
    }

    // Ended windows are deleted once an hour by each instance (an indexed delete; two instances doing it is harmless).
    private sealed class Pruner(RateLimitCounterStore counter, TimeProvider clock, ILogger logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await counter.PruneAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Deleting ended rate-limit windows failed; trying again in an hour.");
                }
            }
        }
    }
}
