using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Accounts;

/// <summary>One of the desk's own accounts from before people signed in at the provider, waiting to move there.</summary>
public sealed class DeskAccountRow
{
    public string User_Name { get; init; } = "";
    public string Display_Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string? Community_Code { get; init; }
    public string? Street_Code { get; init; }
    public string Password_Hash { get; init; } = "";
    public bool Disabled { get; init; }
}

/// <summary>The desk's old <c>accounts</c> table: read what has not moved yet, mark what has (and drop its hash).</summary>
public sealed class DeskAccountStore([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    public async Task<IReadOnlyList<DeskAccountRow>> NotMovedAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<DeskAccountRow>(new CommandDefinition(NotMovedSql(database.Dialect), new { limit }, cancellationToken: ct))];
    }

    internal static string NotMovedSql(SqlDialect dialect) =>
        $"""
        SELECT user_name, display_name, role, community_code, street_code, password_hash, disabled
        FROM accounts WHERE moved_at IS NULL ORDER BY user_name{dialect.Limit("@limit")}
        """;

    /// <summary>Marks accounts moved (or settled at the provider) and empties their hash: no second copy stays here.</summary>
    public async Task MarkMovedAsync(IEnumerable<string> userNames, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET moved_at = @now, password_hash = '', updated_at = @now WHERE user_name = @userName",
            userNames.Select(userName => new { userName, now = clock.GetUtcNow() }), cancellationToken: ct));
    }
}
