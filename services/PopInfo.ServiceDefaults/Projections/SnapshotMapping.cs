using System.Text.Json;
using PopInfo.Contracts;

namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// One line of the registry's snapshot (docs/registry.md, "Format"): the header (<see cref="Sequence"/>), a person
/// version, or the trailer (<see cref="Count"/>). <typeparamref name="TRecord"/> is what the record's chosen fields are
/// read into: a type of the caller's, or <see cref="JsonElement"/> to keep them as they came.
/// </summary>
public sealed record SnapshotLine<TRecord>(
    string Kind, long? Sequence, long? Count, Guid PersonId, int Version, bool Current, string? ChangeType,
    DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, DateTimeOffset? SupersededAt, TRecord? Record);

/// <summary>What a projection asks of the registry's snapshot (the record's fields, with or without history) and what it makes of a version line.</summary>
public sealed class SnapshotMapping<TRow>
{
    private readonly Func<string, ParsedLine> parse;

    internal SnapshotMapping(IReadOnlyList<string> fields, bool history, Func<string, ParsedLine> parse)
    {
        Fields = fields;
        History = history;
        this.parse = parse;
    }

    /// <summary>The record's fields asked for: nothing else of a person leaves the registry.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>True: every stored version; false: each person's current version only.</summary>
    public bool History { get; }

    /// <summary>The snapshot's address relative to the registry's base address.</summary>
    public string RequestUri => $"api/v1/snapshot?fields={string.Join(',', Fields)}&history={(History ? "true" : "false")}";

    internal ParsedLine Parse(string line) => parse(line);

    /// <summary>A line's kind, the header's sequence, the trailer's count, and a version line's row.</summary>
    internal readonly record struct ParsedLine(string Kind, long? Sequence, long? Count, TRow? Row);
}

/// <summary>Makes a <see cref="SnapshotMapping{TRow}"/>.</summary>
public static class SnapshotMapping
{
    /// <summary>
    /// Reads each line with the record as <typeparamref name="TRecord"/> (in one pass: a snapshot of the city is millions
    /// of lines) and maps every version line to <typeparamref name="TRow"/>.
    /// </summary>
    public static SnapshotMapping<TRow> Of<TRecord, TRow>(IReadOnlyList<string> fields, bool history, Func<SnapshotLine<TRecord>, TRow> map) =>
        new(fields, history, json =>
        {
            var line = JsonSerializer.Deserialize<SnapshotLine<TRecord>>(json, Json.Options)!;
            return new(line.Kind, line.Sequence, line.Count, line.Kind == SnapshotStream.VersionKind ? map(line) : default);
        });
}
