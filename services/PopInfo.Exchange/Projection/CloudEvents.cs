using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Records;
using PopInfo.Exchange.Departments;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// Writes a change as a department receives it: a CloudEvents 1.0 event in structured JSON mode whose
/// <c>data</c> holds only the fields the subscription is entitled to (docs/exchange.md). The same text is
/// stored once and sent to the queue, the webhook and the feed, so the three agree byte for byte.
/// </summary>
public static class CloudEvents
{
    public const string ContentType = "application/cloudevents+json";
    public const string SpecVersion = "1.0";

    // Chinese names and addresses as UTF-8, not \uXXXX escapes: readable for bureaus, a third of the size.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Type(string changeType) => $"cn.popinfo.person.{changeType}.v1";

    public static string Id(string departmentCode, long sequence) => $"{departmentCode}-{sequence.ToString(CultureInfo.InvariantCulture)}";

    public static string Source(string departmentCode) => $"/popinfo/departments/{departmentCode}";

    /// <summary>The sequence extension is a string that must order lexicographically: zero-padded to 20 digits.</summary>
    public static string Sequence(long sequence) => sequence.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>
    /// The event of one change for one subscription; <paramref name="person"/> is the full record after the change as JSON
    /// (serialised once per change, not once per subscription). <paramref name="traceParent"/> and
    /// <paramref name="traceState"/>, when given, are written as the CloudEvents distributed-tracing extension's attributes.
    /// </summary>
    public static string Write(string departmentCode, long sequence, Subscription subscription, PersonChanged change, JsonElement person,
        string? traceParent = null, string? traceState = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("specversion", SpecVersion);
            json.WriteString("id", Id(departmentCode, sequence));
            json.WriteString("source", Source(departmentCode));
            json.WriteString("type", Type(change.ChangeType));
            json.WriteString("subject", change.PersonId);
            // RFC 3339 in UTC with "Z", as CloudEvents' examples and most bureaus' parsers expect.
            json.WriteString("time", change.RecordedAt.UtcDateTime);
            json.WriteString("datacontenttype", "application/json");
            json.WriteString("sequence", Sequence(sequence));
            json.WriteNumber("registrysequence", change.Sequence);
            json.WriteString("subscriptionid", subscription.Id);
            // The distributed-tracing extension (additive): the W3C context the event was made in.
            if (!string.IsNullOrEmpty(traceParent))
            {
                json.WriteString("traceparent", traceParent);
                if (!string.IsNullOrEmpty(traceState))
                {
                    json.WriteString("tracestate", traceState);
                }
            }
            json.WriteStartObject("data");
            json.WriteString("changeType", change.ChangeType);
            json.WriteNumber("version", change.Version);
            json.WriteString("occurredAt", change.OccurredAt.UtcDateTime);
            json.WriteStartArray("changedFields");
            foreach (var field in change.ChangedFields)
            {
                if (subscription.Fields.Contains(field))
                {
                    json.WriteStringValue(field);
                }
            }

            json.WriteEndArray();
            json.WriteStartObject("person");
            json.WriteString(PersonFields.PersonId, change.PersonId);
            foreach (var property in person.EnumerateObject())
            {
                if (subscription.Fields.Contains(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                {
                    property.WriteTo(json);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
