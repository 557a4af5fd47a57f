using PopInfo.Contracts;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// What the analytics service reads from the registry: the projection's snapshot (every version, the fields of
/// <see cref="PersonFacts.RecordFields"/> only), change feed and relay status (<see cref="RegistryFeedClient{TRow}"/>), and
/// the population counts its reconciliation compares with.
/// </summary>
public sealed class RegistryReader(HttpClient http) : RegistryFeedClient<PersonFacts>(http, PersonFacts.Snapshot)
{
    /// <summary>The living population counted by the registry's SQL at one sequence (its reconciliation answer).</summary>
    public async Task<PopulationCountsAnswer> PopulationCountsAsync(DateOnly asOf, CancellationToken ct) =>
        (await Http.GetFromJsonAsync<PopulationCountsAnswer>($"api/v1/population-counts?asOf={asOf:yyyy-MM-dd}", Json.Options, ct))!;

    public sealed record PopulationCountsAnswer(long Sequence, DateOnly AsOf, IReadOnlyList<PopulationCountRow> Counts);

    public sealed record PopulationCountRow(string Region, string Sex, string ResidenceType, int Band, long Count);
}
