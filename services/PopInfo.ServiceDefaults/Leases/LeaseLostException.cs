namespace PopInfo.ServiceDefaults.Leases;

/// <summary>
/// A leader's write found that its instance no longer holds the lease with its epoch (it paused or lost its connection
/// long enough for another instance to take over): the write is rolled back and the loop steps down.
/// </summary>
public sealed class LeaseLostException(string lease, long epoch)
    : Exception($"The lease '{lease}' (epoch {epoch}) is held by another instance now; the write was rolled back.")
{
    public string Lease { get; } = lease;

    public long Epoch { get; } = epoch;
}
