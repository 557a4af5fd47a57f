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
