using System.Diagnostics;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.UnitTests.Messaging;

/// <summary>How a trace crosses an outbox table (docs/tracing.md): a row's span is a child of the stored context, a batch's span links to them.</summary>
public sealed class OutboxTracingTests : IDisposable
{
    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name == Telemetry.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public OutboxTracingTests()
    {
        ActivitySource.AddActivityListener(listener);
        Activity.Current = null;
    }

    [Fact]
    public void Without_an_activity_nothing_is_stored_and_a_row_without_context_starts_a_trace_of_its_own()
    {
        Assert.Null(OutboxTracing.CurrentTraceParent());
        Assert.Null(OutboxTracing.CurrentTraceState());

        using var row = OutboxTracing.StartRow("row send", ActivityKind.Producer, traceParent: null, traceState: null);
        Assert.NotNull(row);
        Assert.Equal(default, row.ParentSpanId);
        Assert.Empty(row.Links);
    }

    [Fact]
    public void The_current_activitys_context_is_what_is_stored()
    {
        using var request = OutboxTracing.Source.StartActivity("request");
        Assert.NotNull(request);
        request.TraceStateString = "popinfo=1";

        Assert.Equal(request.Id, OutboxTracing.CurrentTraceParent());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", OutboxTracing.CurrentTraceParent());
        Assert.Equal("popinfo=1", OutboxTracing.CurrentTraceState());
    }

    [Fact]
    public void A_rows_span_is_a_child_of_its_stored_context_and_links_to_the_batch_span_which_links_to_every_origin()
    {
        const string first = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        const string second = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using var batch = OutboxTracing.StartBatch("batch send", [(first, null), (second, "popinfo=1"), (first, null), (null, null), ("not a traceparent", null)], 5);
        Assert.NotNull(batch);
        // A root of its own, linked once to each distinct origin; rows without one (or with garbage) add nothing.
        Assert.Equal(default, batch.ParentSpanId);
        Assert.Equal(["4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"], batch.Links.Select(l => l.Context.TraceId.ToHexString()));
        Assert.Equal(5, batch.GetTagItem("popinfo.batch.size"));

        using (var row = OutboxTracing.StartRow("row send", ActivityKind.Producer, second, "popinfo=1", batch))
        {
            Assert.NotNull(row);
            Assert.Equal("0af7651916cd43dd8448eb211c80319c", row.TraceId.ToHexString());
            Assert.Equal("b7ad6b7169203331", row.ParentSpanId.ToHexString());
            Assert.Equal("popinfo=1", row.TraceStateString);
            Assert.Equal([batch.SpanId], row.Links.Select(l => l.Context.SpanId));
        }

        // A row without an origin is the batch's child.
        using var orphan = OutboxTracing.StartRow("row send", ActivityKind.Producer, null, null, batch);
        Assert.NotNull(orphan);
        Assert.Equal(batch.SpanId, orphan.ParentSpanId);
    }

    [Fact]
    public void A_batch_span_has_at_most_the_sdks_limit_of_links()
    {
        var origins = Enumerable.Range(0, OutboxTracing.MaxLinks + 10)
            .Select(_ => ((string?)$"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01", (string?)null))
            .ToList();
        using var batch = OutboxTracing.StartBatch("batch send", origins, origins.Count);
        Assert.NotNull(batch);
        Assert.Equal(OutboxTracing.MaxLinks, batch.Links.Count());
    }

    public void Dispose()
    {
        Activity.Current = null;
        listener.Dispose();
    }
}
