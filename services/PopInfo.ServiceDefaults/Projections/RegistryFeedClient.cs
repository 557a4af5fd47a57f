using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// What a projection reads from the registry: its consistent snapshot (<c>GET /api/v1/snapshot</c>, read into
/// <typeparamref name="TRow"/> by the service's <see cref="SnapshotMapping{TRow}"/>), its change feed and the relay's
/// status. A service derives its own typed HTTP client from it (the base address, the service token, no timeout: a
/// snapshot of a big city streams for minutes).
/// </summary>
public class RegistryFeedClient<TRow>(HttpClient http, SnapshotMapping<TRow> snapshot)
{
    /// <summary>Thrown when a snapshot stream ends without its trailer, or with a different count: it was cut off.</summary>
    public sealed class TruncatedSnapshotException(string message) : Exception(message);

    /// <summary>A piece of a snapshot: its sequence and some versions (none in the first piece).</summary>
    public sealed record SnapshotPart(long Sequence, IReadOnlyList<TRow> Versions);

    /// <summary>The client, for what a service asks the registry beyond the projection.</summary>
    protected HttpClient Http => http;

    /// <summary>Streams the snapshot: first the sequence it is consistent with, then batches of versions.</summary>
    public async IAsyncEnumerable<SnapshotPart> ReadSnapshotAsync(int batchSize, [EnumeratorCancellation] CancellationToken ct)
    {
        using var response = await http.GetAsync(snapshot.RequestUri, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        await foreach (var part in SnapshotStream.ReadAsync(reader, snapshot, batchSize, ct))
        {
            yield return part;
        }
    }

    /// <summary>The change-log entries after a sequence, in order (a page of at most 1,000, the feed's limit).</summary>
    public async Task<IReadOnlyList<PersonChanged>> ReadChangesAsync(long after, int limit, CancellationToken ct)
    {
        var page = await http.GetFromJsonAsync<ChangePage>($"api/v1/changes?after={after}&limit={Math.Min(limit, 1000)}", Json.Options, ct);
        return page?.Changes ?? [];
    }

    /// <summary>The last sequence the registry wrote.</summary>
    public async Task<long> LastSequenceAsync(CancellationToken ct) =>
        (await http.GetFromJsonAsync<RelayStatus>("api/v1/changes/status", Json.Options, ct))?.LastSequence ?? 0;

    private sealed record ChangePage(List<PersonChanged> Changes, long Next);

    private sealed record RelayStatus(long LastSequence, long PublishedSequence, long Backlog);
}
