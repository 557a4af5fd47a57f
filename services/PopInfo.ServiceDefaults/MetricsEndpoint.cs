using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// <c>/metrics</c>: the Prometheus text format of every instrument the process records (OpenTelemetry's exporter),
/// only for a scraper that sends <c>Authorization: Bearer {PopInfo:Metrics:ScrapeToken}</c>. Without that setting every
/// scrape is refused — in the embedded host as in a service of its own: metrics are never open by default
/// (docs/metrics.md).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The scrape credential's setting (env <c>PopInfo__Metrics__ScrapeToken</c>).</summary>
    public const string ScrapeTokenKey = "PopInfo:Metrics:ScrapeToken";

    /// <summary>A token shorter than this is refused at start: it could be guessed.</summary>
    public const int MinimumTokenLength = 24;

    /// <summary>Maps <c>/metrics</c> once per process (the embedded host calls this once for all its services).</summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app)
    {
        var token = app.Configuration[ScrapeTokenKey];
        if (string.IsNullOrEmpty(token))
        {
            app.Logger.LogWarning("{Setting} is not set: {Path} refuses every scrape.", ScrapeTokenKey, Path);
        }
        else if (token.Length < MinimumTokenLength)
        {
            throw new InvalidOperationException($"{ScrapeTokenKey} is shorter than {MinimumTokenLength} characters; use a random one (e.g. openssl rand -base64 32).");
        }

        var expected = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (IsAdmitted(context.Request.Headers.Authorization, expected))
            {
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            await new ProblemDetails
            {
                Type = ProblemTypes.Unauthorized,
                Title = "The scrape credential is required.",
                Status = StatusCodes.Status401Unauthorized,
                Detail = expected is null
                    ? $"This service has no scrape credential ({ScrapeTokenKey}): its metrics are not served."
                    : "Send 'Authorization: Bearer <scrape token>'.",
                Extensions = { ["rule"] = "metrics.credential" },
            }.ToResult().ExecuteAsync(context);
        }), optionsName: null).WithDisplayName("Prometheus scrape");
    }

    /// <summary>
    /// True when the header is <c>Bearer {token}</c> with the configured token; the hashes are compared in constant time,
    /// so neither the content nor the length of the token leaks through the time of the answer.
    /// </summary>
    public static bool IsAdmitted(string? authorization, byte[]? expectedHash)
    {
        const string scheme = "Bearer ";
        if (expectedHash is null || authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expectedHash);
    }
}
