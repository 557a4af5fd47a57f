using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Apis;

// The lines of GET /api/v1/snapshot (application/x-ndjson), each one JSON object on one line, serialised with
// PopInfo.Contracts.Json.Options: a header, one line per person version, a trailer. docs/registry.md, "Snapshot".

/// <summary>The first line: the change-log sequence the snapshot is consistent with, and what the caller asked for.</summary>
/// <param name="Sequence">Every change-log entry up to this sequence is reflected, none after it: follow the feed with <c>after = Sequence</c>.</param>
/// <param name="TakenAt">When the snapshot's transaction began.</param>
/// <param name="Fields">The fields of <see cref="PersonRecord"/> each version's <c>record</c> carries, in the record's order.</param>
/// <param name="History">Whether superseded versions are included.</param>
public sealed record SnapshotHeader(long Sequence, DateTimeOffset TakenAt, IReadOnlyList<string> Fields, bool History)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "header";
}

/// <summary>One version of one person. A person's versions follow each other, oldest first, the current one last.</summary>
/// <param name="PersonId">The person's id (always present, whatever the fields).</param>
/// <param name="Version">The version number, 1 and up.</param>
/// <param name="Current">True for the person's current version; false for a superseded one (<c>history=true</c> only).</param>
/// <param name="ChangeType">The change that made this version (<c>registered</c>, <c>moved-within-city</c>…).</param>
/// <param name="OccurredAt">When the change happened.</param>
/// <param name="RecordedAt">When the register recorded it.</param>
/// <param name="SupersededAt">When a later version replaced this one; written as <c>null</c> for the current version.</param>
/// <param name="Record">The chosen fields of the version's <see cref="PersonRecord"/>; a field without a value is left out.</param>
public sealed record SnapshotVersion(
    Guid PersonId,
    int Version,
    bool Current,
    string ChangeType,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? SupersededAt,
    ChosenFields Record)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "version";
}

/// <summary>The last line: how many version lines came. A stream without it was cut short and must not be used.</summary>
public sealed record SnapshotEnd(long Count)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "end";
}

/// <summary>A record reduced to the fields a caller chose, written as an object of just those (camelCase, as in the record).</summary>
[JsonConverter(typeof(ChosenFieldsConverter))]
public readonly record struct ChosenFields(PersonRecord Person, SnapshotFields Fields);

/// <summary>
/// The fields of <see cref="PersonRecord"/> a snapshot may carry: its JSON property names under <see cref="Json.Options"/>
/// (camelCase; <c>migrant</c> as a whole), in the record's order.
/// </summary>
public sealed class SnapshotFields
{
    private static readonly JsonTypeInfo Record = Json.Options.GetTypeInfo(typeof(PersonRecord));

    /// <summary>Every field a caller may name.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Record.Properties.Select(p => p.Name)];

    private readonly JsonPropertyInfo[] chosen;

    private SnapshotFields(JsonPropertyInfo[] chosen) => this.chosen = chosen;

    /// <summary>The chosen names, in the record's order.</summary>
    public IReadOnlyList<string> Names => [.. chosen.Select(p => p.Name)];

    /// <summary>Parses <c>fields=a,b,…</c>: the fields, or the names that are not fields of a person (empty when all are).</summary>
    public static (SnapshotFields? Fields, IReadOnlyList<string> Unknown) Parse(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = names.Where(n => !All.Contains(n, StringComparer.Ordinal)).ToList();
        return unknown.Count > 0 || names.Count == 0
            ? (null, unknown)
            : (new SnapshotFields([.. Record.Properties.Where(p => names.Contains(p.Name))]), []);
    }

    internal void Write(Utf8JsonWriter writer, PersonRecord person, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var field in chosen)
        {
            // As Json.Options writes a record: a field without a value is left out.
            if (field.Get!(person) is { } value)
            {
                writer.WritePropertyName(field.Name);
                JsonSerializer.Serialize(writer, value, field.PropertyType, options);
            }
        }

        writer.WriteEndObject();
    }
}

internal sealed class ChosenFieldsConverter : JsonConverter<ChosenFields>
{
    public override ChosenFields Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A snapshot's record is only written.");

    public override void Write(Utf8JsonWriter writer, ChosenFields value, JsonSerializerOptions options) =>
        value.Fields.Write(writer, value.Person, options);
}
