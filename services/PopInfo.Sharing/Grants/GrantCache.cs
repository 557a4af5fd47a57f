using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// The grants the operations read, kept in memory for <see cref="SharingOptions.GrantsFreshFor"/> (ADR 0003 decision 7):
/// a request reads no grant row. A change made through this instance takes effect at once (<see cref="Forget"/> at its
/// commit); one made through another instance within that time. A department suspended at the identity provider is
/// refused when its token expires (at most a minute), whatever is kept here.
/// </summary>
public sealed class GrantCache(GrantStore store, IOptions<SharingOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    // Bumped by every change: a read begun before a change is not kept after it.
    private long generation;

    public async ValueTask<GrantView?> GetAsync(string clientId, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        var current = Interlocked.Read(ref generation);
        if (entries.TryGetValue(clientId, out var entry) && entry.Generation == current && clock.GetElapsedTime(entry.ReadAt, now) < options.Value.GrantsFreshFor)
        {
            return entry.Grant;
        }

        var grant = await store.GetAsync(clientId, ct);
        if (Interlocked.Read(ref generation) == current)
        {
            entries[clientId] = new Entry(grant, now, current);
        }

        return grant;
    }

    /// <summary>A grant changed (committed): every kept grant is read again.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    private sealed record Entry(GrantView? Grant, long ReadAt, long Generation);
}
