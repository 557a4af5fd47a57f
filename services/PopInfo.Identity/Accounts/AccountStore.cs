using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Accounts;

/// <summary>The SQL of people's accounts.</summary>
public sealed class AccountStore([FromKeyedServices(IdentityModule.Name)] ServiceDatabase database)
{
    public async Task<Account?> FindAsync(string userName, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            $"SELECT {Account.Columns} FROM accounts WHERE user_name = @userName", new { userName }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<Account>(new CommandDefinition($"SELECT {Account.Columns} FROM accounts ORDER BY user_name", cancellationToken: ct))];
    }

    public async Task<bool> AnyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM accounts", cancellationToken: ct)) > 0;
    }

    /// <summary>Inserts a new account; false when the user name is taken.</summary>
    public async Task<bool> InsertAsync(Account a, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO accounts ({Account.Columns})
                VALUES (@User_Name, @Display_Name, @Role, @Region_Code, @Password_Hash, 0, NULL, @Disabled, @Security_Stamp, 1, @Created_At, @Updated_At)
                """, a, cancellationToken: ct));
            return true;
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex, out _))
        {
            return false;
        }
    }

    /// <summary>Writes a changed account if the caller saw its current version; false otherwise.</summary>
    public async Task<bool> UpdateAsync(Account a, int expectedVersion, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE accounts SET display_name = @Display_Name, role = @Role, region_code = @Region_Code, password_hash = @Password_Hash,
                disabled = @Disabled, security_stamp = @Security_Stamp, failed_sign_ins = @Failed_Sign_Ins, locked_until = @Locked_Until,
                version = version + 1, updated_at = @Updated_At
            WHERE user_name = @User_Name AND version = @expectedVersion
            """, new { a.Display_Name, a.Role, a.Region_Code, a.Password_Hash, a.Disabled, a.Security_Stamp, a.Failed_Sign_Ins, a.Locked_Until,
                a.Updated_At, a.User_Name, expectedVersion }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Counts a wrong password in one statement (no read-then-write race between parallel attempts): the
    /// <paramref name="max"/>th in a row locks the account until <paramref name="lockUntil"/> and starts the count again.
    /// Returns the lock, if this attempt set one.
    /// </summary>
    public async Task<DateTimeOffset?> CountFailureAsync(string userName, int max, DateTimeOffset lockUntil, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        // The count after this attempt: 0 when it locked the account (null: no such account).
        var failures = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            CountFailureSql(database.Dialect), new { userName, max, lockUntil, now }, cancellationToken: ct));
        return failures == 0 ? lockUntil : null;
    }

    internal static string CountFailureSql(SqlDialect dialect) =>
        $"""
        UPDATE accounts SET
            locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @lockUntil ELSE locked_until END,
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END,
            updated_at = @now{dialect.Output("failed_sign_ins")}
        WHERE user_name = @userName{dialect.Returning("failed_sign_ins")}
        """;

    public async Task ResetFailuresAsync(string userName, string passwordHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, password_hash = @passwordHash, updated_at = @now WHERE user_name = @userName",
            new { userName, passwordHash, now }, cancellationToken: ct));
    }
}
