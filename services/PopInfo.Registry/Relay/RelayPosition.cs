using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.Registry.Relay;

/// <summary>
/// The last change-log sequence the relay has published: in memory as it goes, in the
/// <c>relay_position</c> table (<see cref="RelayPositionStore"/>) from time to time. The saved value may lag behind; never ahead.
/// </summary>
internal sealed class RelayPosition
{
    public long Published { get; set; }

    public long Saved { get; private set; }

    public DateTimeOffset SavedAt { get; private set; }

    public static async Task<RelayPosition> LoadAsync(RelayPositionStore store, CancellationToken ct)
    {
        var saved = await store.LoadAsync(ct);
        return new RelayPosition { Published = saved, Saved = saved, SavedAt = DateTimeOffset.MinValue };
    }

    /// <summary>
    /// Whether the position is to be saved at <paramref name="now"/>: once <paramref name="every"/> has passed since the last
    /// save (or look at it) — at once after loading. Whether it moved is <see cref="SaveAsync"/>'s question.
    /// </summary>
    public bool SaveDue(DateTimeOffset now, TimeSpan every) => now - SavedAt >= every;

    /// <summary>Saves the published position if it moved, fenced by the relay's lease; never moves the saved one backwards.</summary>
    public async Task SaveAsync(RelayPositionStore store, DateTimeOffset now, LeaseFence fence, CancellationToken ct)
    {
        if (Published == Saved)
        {
            SavedAt = now;
            return;
        }

        await store.SaveAsync(Published, now, fence, ct);
        Saved = Published;
        SavedAt = now;
    }
}
