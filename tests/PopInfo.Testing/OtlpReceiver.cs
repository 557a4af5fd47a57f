using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PopInfo.Testing;

/// <summary>One span as an OTLP exporter sent it: ids in lower-case hex (the parent's empty for a root), kind as OTLP numbers it.</summary>
public sealed record OtlpSpan(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    OtlpSpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links);

/// <summary>OTLP's <c>Span.SpanKind</c>.</summary>
public enum OtlpSpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>
/// A collector of the test's own: OTLP/HTTP with protobuf bodies on a loopback port. It keeps every span POSTed to
/// <c>/v1/traces</c> (decoding only the fields of <c>ExportTraceServiceRequest</c> a test looks at) and the raw bodies;
/// metrics and logs are accepted and dropped. Point a service at it with <see cref="EnvironmentVariables"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtlpReceiver(WebApplication app, int port)
    {
        this.app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    /// <summary>Export requests received (traces, metrics and logs).</summary>
    public long Exports => Interlocked.Read(ref exports);

    private long exports;

    public ConcurrentQueue<OtlpSpan> Spans { get; } = new();

    /// <summary>The trace export bodies exactly as received (to look for what must never be in a span).</summary>
    public ConcurrentQueue<byte[]> TracePayloads { get; } = new();

    /// <param name="keep">False: a sink that reads every export and keeps nothing (a benchmark's collector, costing it no memory).</param>
    public static async Task<OtlpReceiver> StartAsync(bool keep = true)
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var receiver = new OtlpReceiver(builder.Build(), port);
        receiver.app.MapPost("/v1/{signal}", async (string signal, HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            Interlocked.Increment(ref receiver.exports);
            if (keep && signal == "traces")
            {
                var bytes = body.ToArray();
                receiver.TracePayloads.Enqueue(bytes);
                foreach (var span in Decode(bytes))
                {
                    receiver.Spans.Enqueue(span);
                }
            }

            // An empty ExportTraceServiceResponse (likewise for metrics and logs): everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await receiver.app.StartAsync();
        return receiver;
    }

    /// <summary>What a service process needs to export here, over OTLP/HTTP protobuf, every 200 ms, every trace.</summary>
    public Dictionary<string, string> EnvironmentVariables() => new()
    {
        // The platform keeps one trace in ten by default (TraceSampling); a test following one trace keeps them all.
        ["OTEL_TRACES_SAMPLER"] = "parentbased_always_on",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    /// <summary>The spans of one trace received so far.</summary>
    public IReadOnlyList<OtlpSpan> Trace(string traceId) => [.. Spans.Where(s => s.TraceId == traceId)];

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The spans of an <c>ExportTraceServiceRequest</c> (opentelemetry/proto/collector/trace/v1).</summary>
    public static IReadOnlyList<OtlpSpan> Decode(byte[] request)
    {
        var spans = new List<OtlpSpan>();
        var reader = new WireReader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                ReadResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ReadOnlyMemory<byte> data, List<OtlpSpan> spans)
    {
        var service = "";
        var scopes = new List<ReadOnlyMemory<byte>>();
        var reader = new WireReader(data);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                // Resource { repeated KeyValue attributes = 1 }
                var resource = new WireReader(reader.Bytes());
                while (resource.Next(out var f, out var w))
                {
                    if (f == 1 && w == 2)
                    {
                        var (key, value) = ReadKeyValue(resource.Bytes());
                        if (key == "service.name")
                        {
                            service = value;
                        }
                    }
                    else
                    {
                        resource.Skip(w);
                    }
                }
            }
            else if (field == 2 && wire == 2)
            {
                scopes.Add(reader.Bytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        foreach (var scopeSpans in scopes)
        {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2 }
            var scope = "";
            var raw = new List<ReadOnlyMemory<byte>>();
            var reader2 = new WireReader(scopeSpans);
            while (reader2.Next(out var field, out var wire))
            {
                if (field == 1 && wire == 2)
                {
                    var s = new WireReader(reader2.Bytes());
                    while (s.Next(out var f, out var w))
                    {
                        if (f == 1 && w == 2)
                        {
                            scope = s.String();
                        }
                        else
                        {
                            s.Skip(w);
                        }
                    }
                }
                else if (field == 2 && wire == 2)
                {
                    raw.Add(reader2.Bytes());
                }
                else
                {
                    reader2.Skip(wire);
                }
            }

            spans.AddRange(raw.Select(r => ReadSpan(service, scope, r)));
        }
    }

    // Span { trace_id = 1; span_id = 2; parent_span_id = 4; name = 5; kind = 6; attributes = 9; links = 13 }
    private static OtlpSpan ReadSpan(string service, string scope, ReadOnlyMemory<byte> data)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = OtlpSpanKind.Unspecified;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new List<(string, string)>();
        var reader = new WireReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.Bytes().Span); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.Bytes().Span); break;
                case (4, 2): parent = Convert.ToHexStringLower(reader.Bytes().Span); break;
                case (5, 2): name = reader.String(); break;
                case (6, 0): kind = (OtlpSpanKind)reader.Varint(); break;
                case (9, 2):
                    var (key, value) = ReadKeyValue(reader.Bytes());
                    attributes[key] = value;
                    break;
                case (13, 2):
                    // Link { trace_id = 1; span_id = 2; ... }
                    string linkTrace = "", linkSpan = "";
                    var link = new WireReader(reader.Bytes());
                    while (link.Next(out var f, out var w))
                    {
                        switch (f, w)
                        {
                            case (1, 2): linkTrace = Convert.ToHexStringLower(link.Bytes().Span); break;
                            case (2, 2): linkSpan = Convert.ToHexStringLower(link.Bytes().Span); break;
                            default: link.Skip(w); break;
                        }
                    }

                    links.Add((linkTrace, linkSpan));
                    break;
                default: reader.Skip(wire); break;
            }
        }

        return new OtlpSpan(service, scope, traceId, spanId, parent, name, kind, attributes, links);
    }

    // KeyValue { key = 1; AnyValue value = 2 }, AnyValue { string = 1; bool = 2; int = 3; double = 4; ... }: the value as text.
    private static (string Key, string Value) ReadKeyValue(ReadOnlyMemory<byte> data)
    {
        string key = "", value = "";
        var reader = new WireReader(data);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                key = reader.String();
            }
            else if (field == 2 && wire == 2)
            {
                var any = new WireReader(reader.Bytes());
                while (any.Next(out var f, out var w))
                {
                    value = (f, w) switch
                    {
                        (1, 2) => any.String(),
                        (2, 0) => any.Varint() != 0 ? "true" : "false",
                        (3, 0) => ((long)any.Varint()).ToString(CultureInfo.InvariantCulture),
                        (4, 1) => BitConverter.Int64BitsToDouble((long)any.Fixed64()).ToString(CultureInfo.InvariantCulture),
                        _ => Skipped(any, w),
                    };
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (key, value);
    }

    private static string Skipped(WireReader reader, int wire)
    {
        reader.Skip(wire);
        return "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Protocol Buffers' wire format, as far as OTLP's traces need it.</summary>
    private sealed class WireReader(ReadOnlyMemory<byte> data)
    {
        private int position;

        public bool Next(out int field, out int wire)
        {
            if (position >= data.Length)
            {
                field = wire = 0;
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data.Span[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public ulong Fixed64()
        {
            var value = BitConverter.ToUInt64(data.Span.Slice(position, 8));
            position += 8;
            return value;
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            var length = (int)Varint();
            var bytes = data.Slice(position, length);
            position += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes().Span);

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: position += 8; break;
                case 2: Bytes(); break;
                case 5: position += 4; break;
                default: throw new InvalidDataException($"Unknown protobuf wire type {wire}.");
            }
        }
    }
}
