using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Webhooks;

namespace PopInfo.Monitoring.Notifications;

/// <summary>
/// Posts the alerts' notifications to <c>PopInfo:Monitoring:NotificationUrl</c>, signed as the exchange signs its webhooks
/// (Standard Webhooks: <c>webhook-id</c> = the event id, <c>webhook-timestamp</c>, <c>webhook-signature</c>), oldest first,
/// and marks each sent when the receiver answers 2xx. Run by the lease holder only, and the lease is checked again right
/// before each post, so two instances do not both post a row (ADR 0004 decision 4). A failure is tried again with backoff
/// (1 s doubling, capped at five minutes) up to <c>NotificationAttempts</c>, then given up (the alert itself stays).
/// </summary>
public sealed class NotificationRelay(
    NotificationStore store, IHttpClientFactory clients, IOptions<MonitoringOptions> options, TimeProvider clock, ILogger<NotificationRelay> logger)
{
    public const string ClientName = "monitoring-notifications";
    private const int BatchSize = 50;

    /// <summary>Posts what is due while <paramref name="stillLeading"/> says this instance leads; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(Func<CancellationToken, Task<bool>> stillLeading, CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.NotificationUrl is null || string.IsNullOrEmpty(settings.NotificationSecret))
        {
            return 0;
        }

        var sent = 0;
        foreach (var notification in await store.DueAsync(clock.GetUtcNow(), BatchSize, ct))
        {
            if (ct.IsCancellationRequested || !await stillLeading(ct))
            {
                break;
            }

            // A post once begun is finished and recorded even while the service stops (it takes at most ProbeTimeout): a
            // post answered 2xx but not marked would be posted again by the next leader.
            var status = await PostAsync(settings.NotificationUrl, settings.NotificationSecret, notification);
            var now = clock.GetUtcNow();
            if (status is >= 200 and < 300)
            {
                await store.MarkSentAsync(notification.Id, now, status.Value.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
                sent++;
                continue;
            }

            var attempts = notification.Attempts + 1;
            DateTimeOffset? next = attempts >= settings.NotificationAttempts
                ? null
                : now + TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts - 1)));
            var what = status?.ToString(CultureInfo.InvariantCulture) ?? "no answer";
            await store.MarkFailedAsync(notification.Id, now, next, what, CancellationToken.None);
            logger.LogWarning("Alert notification {EventId} failed ({Status}), attempt {Attempt}; {Next}.", notification.EventId, what, attempts,
                next is null ? "given up" : "tried again later");
        }

        return sent;
    }

    private async Task<int?> PostAsync(Uri url, string secret, DueNotification notification)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(notification.Body, Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, notification.EventId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, notification.EventId, timestamp, notification.Body));
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.ProbeTimeout);
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("Alert notification {EventId} could not be posted ({Kind}).", notification.EventId, e.GetType().Name);
            return null;
        }
    }
}
