using System.Runtime.CompilerServices;

namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// Reads the registry's snapshot stream (NDJSON: a header naming the change-log sequence, one line per person version, a
/// trailer with the count) into batches of rows. A stream without its trailer, or with a different count, was cut off:
/// it throws, and the caller drops what it read (docs/registry.md).
/// </summary>
public static class SnapshotStream
{
    internal const string VersionKind = "version";

    /// <summary>First the sequence the snapshot is consistent with (a part without rows), then batches of rows.</summary>
    public static async IAsyncEnumerable<RegistryFeedClient<TRow>.SnapshotPart> ReadAsync<TRow>(
        TextReader reader, SnapshotMapping<TRow> mapping, int batchSize, [EnumeratorCancellation] CancellationToken ct)
    {
        long? sequence = null;
        long count = 0;
        var batch = new List<TRow>(batchSize);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var entry = mapping.Parse(line);
            switch (entry.Kind)
            {
                case "header":
                    sequence = entry.Sequence;
                    yield return new(entry.Sequence!.Value, []);
                    break;
                case VersionKind when sequence is not null:
                    count++;
                    batch.Add(entry.Row!);
                    if (batch.Count == batchSize)
                    {
                        yield return new(sequence.Value, batch);
                        batch = new List<TRow>(batchSize);
                    }

                    break;
                case "end":
                    if (entry.Count != count)
                    {
                        throw new RegistryFeedClient<TRow>.TruncatedSnapshotException($"The snapshot announced {entry.Count} versions and sent {count}.");
                    }

                    if (batch.Count > 0)
                    {
                        yield return new(sequence!.Value, batch);
                    }

                    yield break;
                default:
                    throw new RegistryFeedClient<TRow>.TruncatedSnapshotException($"Unexpected snapshot line of kind '{entry.Kind}'.");
            }
        }

        throw new RegistryFeedClient<TRow>.TruncatedSnapshotException($"The snapshot ended after {count} versions without its trailer.");
    }
}
