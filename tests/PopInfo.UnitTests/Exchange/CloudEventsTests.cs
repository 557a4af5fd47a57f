using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Projection;

namespace PopInfo.UnitTests.Exchange;

public sealed class CloudEventsTests
{
    private static readonly PersonRecord Person = new()
    {
        PersonId = Guid.Parse("01a219ba-b786-7178-be36-bde8a470a3bf"),
        IdNumber = "32020519900307002X",
        Name = "王芳",
        Sex = "2",
        BirthDate = new DateOnly(1990, 3, 7),
        Ethnicity = "01",
        Phone = "13912345678",
        ResidenceType = "registered",
        ResidenceRegionCode = "320205001001",
        Status = "living",
    };

    private static readonly PersonChanged Change = new()
    {
        EventId = Guid.CreateVersion7(),
        Sequence = 1187,
        PersonId = Person.PersonId,
        IdNumber = Person.IdNumber,
        ChangeType = "corrected",
        ChangedFields = ["name", "phone", "sex"],
        Version = 3,
        Person = Person,
        OccurredAt = new DateTimeOffset(2026, 11, 26, 16, 0, 0, TimeSpan.Zero),
        RecordedAt = new DateTimeOffset(2026, 11, 26, 21, 19, 56, TimeSpan.Zero),
        Source = "api",
    };

    private static Subscription Entitled(params string[] fields) =>
        new(Guid.CreateVersion7(), "health", ["corrected"], ["320205"], fields, "Maternal and child health records.", "active", 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static string WriteText(Subscription subscription, long sequence = 42) =>
        CloudEvents.Write("health", sequence, subscription, Change, JsonSerializer.SerializeToElement(Person, Json.Options));

    private static JsonObject Write(Subscription subscription, long sequence = 42) => JsonNode.Parse(WriteText(subscription, sequence))!.AsObject();

    [Fact]
    public void The_event_carries_only_the_entitled_fields_in_person_and_in_changed_fields()
    {
        var e = Write(Entitled("sex", "birthDate"));

        Assert.Equal(["personId", "sex", "birthDate"], e["data"]!["person"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["sex"], e["data"]!["changedFields"]!.AsArray().Select(f => (string)f!));
        var text = WriteText(Entitled("sex", "birthDate"));
        Assert.DoesNotContain(Person.IdNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", text, StringComparison.Ordinal);
        Assert.DoesNotContain("王", text, StringComparison.Ordinal);
        Assert.Contains("\"王芳\"", WriteText(Entitled("name")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_envelope_is_a_structured_CloudEvent_with_an_orderable_sequence()
    {
        var subscription = Entitled("name");
        var e = Write(subscription, sequence: 42);

        Assert.Equal("1.0", (string)e["specversion"]!);
        Assert.Equal("health-42", (string)e["id"]!);
        Assert.Equal("/popinfo/departments/health", (string)e["source"]!);
        Assert.Equal("cn.popinfo.person.corrected.v1", (string)e["type"]!);
        Assert.Equal(Person.PersonId.ToString(), (string)e["subject"]!);
        Assert.Equal("application/json", (string)e["datacontenttype"]!);
        Assert.Equal("00000000000000000042", (string)e["sequence"]!);
        Assert.Equal(1187, (long)e["registrysequence"]!);
        Assert.Equal(subscription.Id.ToString(), (string)e["subscriptionid"]!);
        Assert.Equal(3, (int)e["data"]!["version"]!);
        Assert.Equal("2026-11-26T21:19:56Z", (string)e["time"]!);
        Assert.Equal("2026-11-26T16:00:00Z", (string)e["data"]!["occurredAt"]!);
        Assert.Equal("王芳", (string)e["data"]!["person"]!["name"]!);
        // Lexicographic order of the sequence extension is numeric order.
        Assert.True(string.CompareOrdinal(CloudEvents.Sequence(9), CloudEvents.Sequence(10)) < 0);
    }

    [Fact]
    public void Fields_without_a_value_are_left_out()
    {
        var e = Write(Entitled("occupation", "deathDate", "sex"));
        Assert.Equal(["personId", "sex"], e["data"]!["person"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void The_trace_context_is_the_distributed_tracing_extension_and_absent_without_one()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = JsonNode.Parse(CloudEvents.Write("health", 42, Entitled("sex"), Change, JsonSerializer.SerializeToElement(Person, Json.Options),
            traceParent, "popinfo=1"))!.AsObject();
        Assert.Equal(traceParent, (string)traced["traceparent"]!);
        Assert.Equal("popinfo=1", (string)traced["tracestate"]!);
        // An extension attribute: at the top level, beside the others, not in data.
        Assert.Null(traced["data"]!["traceparent"]);

        var untraced = Write(Entitled("sex"));
        Assert.False(untraced.ContainsKey("traceparent"));
        Assert.False(untraced.ContainsKey("tracestate"));
        Assert.False(JsonNode.Parse(CloudEvents.Write("health", 42, Entitled("sex"), Change, JsonSerializer.SerializeToElement(Person, Json.Options), traceParent))!
            .AsObject().ContainsKey("tracestate"));
    }
}
