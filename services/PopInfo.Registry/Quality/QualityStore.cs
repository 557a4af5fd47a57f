using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Quality;

/// <summary>
/// The data-quality rules' reads (docs/data-quality.md): the living persons who live within a range of region codes, and
/// the living members of the households registered within it. Both are read by index on the region code.
/// </summary>
public sealed class QualityStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    /// <summary>How many living persons live in [<paramref name="from"/>, <paramref name="to"/>) (by the same index, no record read).</summary>
    public async Task<long> CountLivingAsync(string from, string to, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM persons WHERE residence_region_code >= @from AND residence_region_code < @to AND status = 'living'",
            new { from, to }, cancellationToken: ct));
    }

    /// <summary>Living persons whose residence region code lies in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<QualityPersonRow>> LivingPersonsAsync(string from, string to, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<QualityPersonRow>(new CommandDefinition(
            """
            SELECT residence_region_code AS Region, record AS Record FROM persons
            WHERE residence_region_code >= @from AND residence_region_code < @to AND status = 'living'
            """, new { from, to }, cancellationToken: ct))];
    }

    /// <summary>The living members of every household whose region code lies in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<QualityMemberRow>> HouseholdMembersAsync(string from, string to, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<QualityMemberRow>(new CommandDefinition(
            """
            SELECT h.id AS Household_Id, h.number AS Number, h.region_code AS Region, p.record AS Record
            FROM households h JOIN persons p ON p.household_id = h.id
            WHERE h.region_code >= @from AND h.region_code < @to AND p.status = 'living'
            """, new { from, to }, cancellationToken: ct))];
    }
}

/// <summary>A living person and the region they live in.</summary>
public sealed class QualityPersonRow
{
    public string Region { get; init; } = "";
    public string Record { get; init; } = "";
}

/// <summary>A living member of a household, with the household's number and region.</summary>
public sealed class QualityMemberRow
{
    public Guid Household_Id { get; init; }
    public string Number { get; init; } = "";
    public string Region { get; init; } = "";
    public string Record { get; init; } = "";
}
