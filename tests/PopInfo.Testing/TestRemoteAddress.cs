using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;

namespace PopInfo.Testing;

/// <summary>In-process requests from a remote address of the test's choosing (the test server leaves it empty otherwise).</summary>
public static class TestRemoteAddress
{
    /// <summary>A client whose requests arrive from <paramref name="address"/>, keeping cookies as a browser does and not following redirects.</summary>
    public static HttpClient ClientFrom(this TestServer server, string address, Uri? baseAddress = null) =>
        new(new CookieContainerHandler { InnerHandler = server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Parse(address)) })
        {
            BaseAddress = baseAddress ?? server.BaseAddress,
        };
}
