using System.Diagnostics;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// Carries a W3C trace across an outbox table (docs/tracing.md): the writer stores the <c>traceparent</c> (and
/// <c>tracestate</c>) of the activity it writes the row in; the relay that sends the row starts its send span as a
/// <b>child</b> of that stored context, so the trace goes on through the table. A relay's span over a whole batch of
/// rows has many origins and is no one's child: it is a root with a <b>span link</b> to each row's origin (at most
/// <see cref="MaxLinks"/>), and each row's span links back to it.
/// </summary>
public static class OutboxTracing
{
    /// <summary>OpenTelemetry's default limit of links per span; more would be dropped by the SDK anyway.</summary>
    public const int MaxLinks = 128;

    /// <summary>PopInfo's own spans (the source is subscribed to by <see cref="Telemetry"/>).</summary>
    public static ActivitySource Source { get; } = new(Telemetry.SourceName);

    /// <summary>The <c>traceparent</c> of the current activity, or null when there is none (or it is not W3C).</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;

    /// <summary>The <c>tracestate</c> of the current activity, or null when it has none.</summary>
    public static string? CurrentTraceState() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, TraceStateString: { Length: > 0 } state } ? state : null;

    /// <summary>The W3C context stored as text, if it is one.</summary>
    public static bool TryParse(string? traceParent, string? traceState, out ActivityContext context)
    {
        context = default;
        return !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    /// <summary>
    /// Starts the span of a batch of rows: a new root (whatever is current is not its parent) linked to every
    /// distinct origin among <paramref name="origins"/>. Null when nothing listens.
    /// </summary>
    public static Activity? StartBatch(string name, IEnumerable<(string? TraceParent, string? TraceState)> origins, int count)
    {
        var links = new List<ActivityLink>();
        var seen = new HashSet<ActivitySpanId>();
        foreach (var (traceParent, traceState) in origins)
        {
            if (links.Count == MaxLinks)
            {
                break;
            }

            if (TryParse(traceParent, traceState, out var origin) && seen.Add(origin.SpanId))
            {
                links.Add(new ActivityLink(origin));
            }
        }

        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var batch = Source.StartActivity(name, ActivityKind.Internal, parentContext: default, links: links);
            batch?.SetTag("popinfo.batch.size", count);
            return batch;
        }
        finally
        {
            if (Activity.Current is null)
            {
                Activity.Current = previous;
            }
        }
    }

    /// <summary>
    /// Starts the span of one row: a child of the row's stored context when it has one (with a link to
    /// <paramref name="batch"/>), otherwise a child of whatever is current (the batch span, or a new root).
    /// </summary>
    public static Activity? StartRow(string name, ActivityKind kind, string? traceParent, string? traceState, Activity? batch = null)
    {
        if (TryParse(traceParent, traceState, out var origin))
        {
            return Source.StartActivity(name, kind, origin, links: batch is null ? null : [new ActivityLink(batch.Context)]);
        }

        return Source.StartActivity(name, kind);
    }
}
