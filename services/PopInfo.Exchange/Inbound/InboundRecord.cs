using System.Globalization;
using System.Text.Json.Nodes;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// One record a department pushed, after it passed the record rules: its own reference, its kind, the
/// <c>person</c> block and the kind's own fields, with values normalised (trimmed text, upper-case check
/// character of identity numbers). <see cref="Path"/> is where it stood in the message (<c>records[3]</c>),
/// the prefix of every field a problem about it names.
/// </summary>
public sealed class InboundRecord
{
    public required string RecordId { get; init; }

    public required InboundKind Kind { get; init; }

    public required JsonObject Person { get; init; }

    /// <summary>The kind's own fields (<c>deathDate</c>, <c>changes</c>...), as they go into the command.</summary>
    public required JsonObject Fields { get; init; }

    public required string Path { get; init; }

    public string? IdNumber => Text(Person, "idNumber");

    public string? Name => Text(Person, "name");

    public string? Sex => Text(Person, "sex");

    public DateOnly? BirthDate => Date(Person, "birthDate");

    /// <summary>Where the department knows the person from: a Wuxi region at any level.</summary>
    public string? RegionCode => Text(Person, "regionCode");

    /// <summary>The field path of a field of this record: <c>records[3].person.idNumber</c>.</summary>
    public string FieldPath(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    /// <summary>The record as stored: what the department sent, normalised.</summary>
    public JsonObject ToPayload()
    {
        var payload = new JsonObject { ["recordId"] = RecordId, ["kind"] = Kind.Code, ["person"] = Person.DeepClone() };
        foreach (var (field, value) in Fields)
        {
            payload[field] = value?.DeepClone();
        }

        return payload;
    }

    internal static string? Text(JsonObject o, string field) => o[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static DateOnly? Date(JsonObject o, string field) =>
        Text(o, field) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
