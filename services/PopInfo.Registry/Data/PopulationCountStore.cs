using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Data;

/// <summary>One group of the living population: community, sex, residence type and five-year band (20 = 100 and over).</summary>
public sealed class PopulationCount
{
    public string Region { get; init; } = "";
    public string Sex { get; init; } = "";
    public string Residence_Type { get; init; } = "";
    public int Band { get; init; }
    public long Count { get; init; }
}

/// <summary>
/// The living population counted by plain SQL <c>GROUP BY</c> over <c>persons</c>, in the same consistent read as the
/// change-log sequence it reflects — what the analytics service's reconciliation compares its figures with. It shares
/// no code with the analytics projection.
/// </summary>
public sealed class PopulationCountStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    /// <summary>On the replica when there is one (a few seconds of <c>GROUP BY</c> over the register), again after a recovery conflict.</summary>
    public Task<(long Sequence, IReadOnlyList<PopulationCount> Counts)> CountAsync(DateOnly asOf, CancellationToken ct) =>
        RecoveryConflicts.RetryAsync(c => CountOnceAsync(asOf, c), null, ct);

    private async Task<(long Sequence, IReadOnlyList<PopulationCount> Counts)> CountOnceAsync(DateOnly asOf, CancellationToken ct)
    {
        await using var snapshot = await database.Reads.BeginSnapshotAsync(ct);
        var connection = snapshot.Connection;
        var transaction = snapshot.Transaction;
        var sequence = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM change_sequence WHERE id = 1", transaction: transaction, cancellationToken: ct));
        var age = database.Dialect.AgeInYears("birth_date", "asOf");
        var counts = await connection.QueryAsync<PopulationCount>(new CommandDefinition(
            $"""
            SELECT residence_region_code AS Region, sex AS Sex, residence_type AS Residence_Type,
                   CASE WHEN {age} >= 100 THEN 20 ELSE {age} / 5 END AS Band, count(*) AS Count
            FROM persons
            WHERE status = 'living' AND residence_region_code IS NOT NULL
            GROUP BY residence_region_code, sex, residence_type, CASE WHEN {age} >= 100 THEN 20 ELSE {age} / 5 END
            """,
            new { asOf = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, transaction, cancellationToken: ct));
        return (sequence, [.. counts]);
    }
}
