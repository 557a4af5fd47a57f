using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace PopInfo.Testing;

/// <summary>
/// The in-process test server has no sockets, so no connection has a local port, and the embedded host
/// routes each module by that port. The test's client tells the server which port it targeted — the port
/// of the request's address, whatever its Host header says — in a header of its own, and this harness's
/// startup filter (registered only by the test harness, never by the host) moves it onto the connection
/// and drops it before anything else sees the request.
/// </summary>
public static class TestLocalPort
{
    public const string Header = "X-PopInfo-Test-Local-Port";

    /// <summary>Client side: stamps the port of the address the request goes to.</summary>
    public sealed class Handler : DelegatingHandler
    {
        public Handler()
        {
        }

        public Handler(HttpMessageHandler inner)
            : base(inner)
        {
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Stamp(request);
            return base.SendAsync(request, cancellationToken);
        }
    }

    public static void Stamp(HttpRequestMessage request)
    {
        request.Headers.Remove(Header);
        request.Headers.Add(Header, request.RequestUri!.Port.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Server side: the connection's local port is the one the client targeted.</summary>
    public sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (int.TryParse(context.Request.Headers[Header], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    context.Connection.LocalPort = port;
                }

                context.Request.Headers.Remove(Header);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
