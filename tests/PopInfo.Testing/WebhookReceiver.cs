using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PopInfo.ServiceDefaults.Webhooks;

namespace PopInfo.Testing;

/// <summary>One POST the receiver accepted: the headers that matter and the body exactly as sent.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string ContentType, string Body, bool SignatureValid, string? TraceParent = null);

/// <summary>
/// A bureau's webhook endpoint on a real loopback port: verifies the signature, records what it accepted,
/// and can be told to fail (answer a status) or to go offline (stop listening: connection refused) and come back
/// on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly int port;
    private WebApplication? app;
    private int failuresLeft;

    private WebhookReceiver(int port) => this.port = port;

    public string Secret { get; set; } = "";

    public Uri Url => new($"http://127.0.0.1:{port}/popinfo-events");

    public ConcurrentQueue<ReceivedWebhook> Accepted { get; } = new();

    /// <summary>Every POST that arrived, accepted or not.</summary>
    public int Attempts => attempts;

    private int attempts;

    /// <summary>While set, a POST whose body this answers with a status is refused with it.</summary>
    public Func<string, HttpStatusCode?>? FailFor { get; set; }

    /// <summary>The next N POSTs are answered 503.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver(FreePort());
        await receiver.GoOnlineAsync();
        return receiver;
    }

    public async Task GoOnlineAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // Its own request logs (five lines a POST) would bury a test's output: the fault campaign receives tens of thousands.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapPost("/popinfo-events", async (HttpContext http) =>
        {
            Interlocked.Increment(ref attempts);
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (FailFor?.Invoke(body) is { } status)
            {
                return Results.StatusCode((int)status);
            }

            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                return Results.StatusCode(503);
            }

            var id = http.Request.Headers[WebhookSignature.IdHeader].ToString();
            var timestamp = http.Request.Headers[WebhookSignature.TimestampHeader].ToString();
            var signature = http.Request.Headers[WebhookSignature.SignatureHeader].ToString();
            var valid = WebhookSignature.Verify(Secret, id, timestamp, body, signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            if (!valid)
            {
                return Results.StatusCode(401);
            }

            var traceParent = http.Request.Headers["traceparent"].ToString();
            Accepted.Enqueue(new ReceivedWebhook(id, timestamp, signature, http.Request.ContentType ?? "", body, valid, traceParent.Length == 0 ? null : traceParent));
            return Results.NoContent();
        });
        await app.StartAsync();
    }

    /// <summary>Stops listening: the exchange's POSTs now fail to connect.</summary>
    public async Task GoOfflineAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public async ValueTask DisposeAsync() => await GoOfflineAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
