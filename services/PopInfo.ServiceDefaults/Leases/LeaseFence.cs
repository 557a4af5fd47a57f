namespace PopInfo.ServiceDefaults.Leases;

/// <summary>
/// What a leader's write carries to prove, in its own transaction, that its instance still leads: the lease's name, the
/// holder, the epoch it was taken with and the lease's time (which the fence extends). A store runs its write with
/// <c>LeaseStore.WriteFencedAsync</c>, which appends the fence's parameters and checks what <see cref="LeaseStore.FenceSql"/> returned (<see cref="Check"/>)
/// before the store commits.
/// </summary>
public sealed record LeaseFence(string Name, string Holder, long Epoch, TimeSpan Ttl)
{
    /// <summary>
    /// Throws <see cref="LeaseLostException"/> unless the fence returned this epoch (no row: another instance holds the lease
    /// now); the caller's transaction is then disposed without a commit, so nothing of the write stays.
    /// </summary>
    public void Check(long? fenced)
    {
        if (fenced != Epoch)
        {
            throw new LeaseLostException(Name, Epoch);
        }
    }
}
