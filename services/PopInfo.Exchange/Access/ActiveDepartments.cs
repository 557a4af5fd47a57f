using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PopInfo.Exchange.Departments;

namespace PopInfo.Exchange.Access;

/// <summary>
/// Whether a department is registered and active, as <see cref="TokenRoles"/> asks on every request made with a
/// department's token: remembered per department code for <see cref="ExchangeOptions.DepartmentCacheTtl"/> (5 s),
/// and forgotten at once when this instance creates, suspends or activates a department (the administrator's API and
/// <see cref="ClientStatusChangedConsumer"/> both go through <see cref="DepartmentService"/>).
/// Why revocation still holds within 60 s with several instances: another instance does not hear of the change and
/// answers from what it remembers until that expires — at most the cache's life (≤ 30 s, a validated setting) after
/// the change. A department's token lives at most 55 s (+ 5 s clock skew) and the provider issues none to a suspended
/// client, so a suspended department is refused everywhere within the cache's life, well inside the minute.
/// </summary>
public sealed class ActiveDepartments(DepartmentStore store, IOptions<ExchangeOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset Until)> known = new(StringComparer.Ordinal);

    // Bumped by every Forget: a look-up that began before a change does not store its (now stale) answer after it.
    private long generation;

    public async Task<bool> IsActiveAsync(string code, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (known.TryGetValue(code, out var entry) && entry.Until > now)
        {
            return entry.Active;
        }

        var before = Interlocked.Read(ref generation);
        var active = await store.IsActiveAsync(code, ct);
        var life = options.Value.DepartmentCacheTtl;
        if (life > TimeSpan.Zero)
        {
            known[code] = (active, now + life);
            if (Interlocked.Read(ref generation) != before)
            {
                known.TryRemove(code, out _);
            }
        }

        return active;
    }

    /// <summary>The department changed here: the next request reads it again.</summary>
    public void Forget(string code)
    {
        Interlocked.Increment(ref generation);
        known.TryRemove(code, out _);
    }
}
