using System.Diagnostics;
using System.Globalization;

namespace PopInfo.Analytics.Apis;

/// <summary>
/// Tells the caller how long the service worked on an answer, in a W3C <c>Server-Timing</c> header (<c>app;dur=…</c>
/// milliseconds: the count and its query log, before the body is written), so that a slow answer can be told apart from
/// a slow network or client. Durations only: nothing about the figures.
/// </summary>
public static class ServerTiming
{
    public const string Header = "Server-Timing";

    public static TBuilder WithServerTiming<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var result = await next(context);
            context.HttpContext.Response.Headers[Header] =
                string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}");
            return result;
        });
}
