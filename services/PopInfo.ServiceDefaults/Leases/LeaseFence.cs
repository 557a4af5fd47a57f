using Dapper;

namespace PopInfo.ServiceDefaults.Leases;

/// <summary>
/// What a leader's write carries to prove, in its own transaction, that its instance still leads: the lease's name, the
/// holder, the epoch it was taken with and the lease's time (which the fence extends). The store appends
/// <see cref="LeaseStore.FenceSql"/> to its write command, adds these parameters (<see cref="AddTo"/>) and checks what the
/// fence returned (<see cref="Check"/>) before it commits.
/// </summary>
public sealed record LeaseFence(string Name, string Holder, long Epoch, TimeSpan Ttl)
{
    /// <summary>Adds the fence's parameters: <c>@leaseName</c>, <c>@leaseHolder</c>, <c>@leaseEpoch</c>, <c>@leaseTtl</c>.</summary>
    public DynamicParameters AddTo(DynamicParameters parameters)
    {
        parameters.Add("leaseName", Name);
        parameters.Add("leaseHolder", Holder);
        parameters.Add("leaseEpoch", Epoch);
        parameters.Add("leaseTtl", LeaseStore.Milliseconds(Ttl));
        return parameters;
    }

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
