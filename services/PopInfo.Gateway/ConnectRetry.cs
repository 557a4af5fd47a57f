using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace PopInfo.Gateway;

/// <summary>
/// A request whose connection an instance refused (it was killed, or is restarting) goes to another instance at once,
/// instead of answering 502 until the health check notices — within the two seconds that takes. Only a refused
/// connection: nothing of the request reached the instance, so sending it again cannot do anything twice. A request
/// that failed after it was sent is answered 502 as YARP does; clients retry those with the same command id, as after
/// any failure. The body is buffered so that it can be sent again (30 KB in memory, beyond that a temporary file).
/// </summary>
public static class ConnectRetry
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        context.Request.EnableBuffering();
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        var refused = new HashSet<DestinationState>();
        while (true)
        {
            await next();
            if (context.GetForwarderErrorFeature() is not { } error || !Refused(error) || context.Response.HasStarted
                || proxy.ProxiedDestination is not { } failed || !refused.Add(failed))
            {
                return;
            }

            var others = candidates.Where(d => !refused.Contains(d)).ToList();
            if (others.Count == 0)
            {
                return;
            }

            proxy.AvailableDestinations = others;
            // As before the first try: no error, and YARP's 502 back to a fresh response's 200 (it forwards only onto an
            // untouched response).
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = 200;
            context.Request.Body.Position = 0;
        }
    }

    private static bool Refused(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}
