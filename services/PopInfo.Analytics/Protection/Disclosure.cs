using PopInfo.Analytics.Engine;
using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics.Protection;

/// <summary>The service's disclosure control: the cell-key method with its configured parameters (docs/analytics.md).</summary>
public sealed class Disclosure(CellKeyPerturbation perturbation)
{
    public ProtectionApplied Applied { get; } = new(
        "cell-key", perturbation.Threshold, perturbation.MaxNoise, perturbation.Sigma,
        $"Every count, total and grand total carries its own noise (at most ±{perturbation.MaxNoise}, the same for the same people every time); " +
        $"no count from 1 to {perturbation.Threshold - 1} is published (such cells show 0 or {perturbation.Threshold}); totals are not sums of the cells shown.");

    public CellKeyPerturbation Perturbation => perturbation;

    public long Publish(long count, uint cellKey) => perturbation.Publish(count, cellKey);
}
