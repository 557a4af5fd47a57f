using System.Text.Json;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// A page of a department's feed: <c>{"events":[...],"next":N}</c>. The stored event texts are written as
/// they are (not parsed and re-serialised), so the feed carries the very bytes the queue and the webhook did.
/// </summary>
public sealed class FeedPage(IReadOnlyList<FeedEntry> entries, long next) : IResult
{
    public IReadOnlyList<FeedEntry> Entries => entries;

    public long Next => next;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("events");
        foreach (var entry in entries)
        {
            json.WriteRawValue(entry.Event, skipInputValidation: true);
        }

        json.WriteEndArray();
        json.WriteNumber("next", next);
        json.WriteEndObject();
        await json.FlushAsync(httpContext.RequestAborted);
    }
}
