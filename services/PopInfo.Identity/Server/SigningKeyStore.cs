using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Server;

/// <summary>
/// The SQL of the provider's keys (<c>signing_keys</c>, <see cref="SigningKeys"/>): reads them, and makes new ones under
/// the lock all instances share (<see cref="SqlDialect.RunExclusiveAsync"/>), each new key in one transaction with the
/// retirement of the keys of its use before it. The material comes here already protected.
/// </summary>
public sealed class SigningKeyStore([FromKeyedServices(IdentityModule.Name)] ServiceDatabase database)
{
    private const string Lock = "popinfo.identity.signing-keys";

    /// <summary>A key to make: its id, use, protected material, times, and when the keys of its use before it retire.</summary>
    public sealed record NewKey(string KeyId, string Use, string ProtectedMaterial, DateTimeOffset Now, DateTimeOffset ActivateAt, DateTimeOffset RetirePreviousAt);

    /// <summary>Every key, retired ones included, in activation order.</summary>
    public async Task<IReadOnlyList<SigningKeys.Row>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await ReadAsync(connection, ct);
    }

    /// <summary>
    /// Under the lock: reads the keys, asks <paramref name="due"/> which to make from what is stored once the lock is held,
    /// and makes them, in order. Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<string>> MakeDueAsync(Func<IReadOnlyList<SigningKeys.Row>, IReadOnlyList<NewKey>> due, CancellationToken ct)
    {
        var made = new List<string>();
        await database.Dialect.RunExclusiveAsync(Lock, async () =>
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            var rows = await ReadAsync(connection, ct);
            foreach (var key in due(rows))
            {
                made.Add(await InsertAsync(connection, key, ct));
            }
        }, ct);
        return made;
    }

    /// <summary>Under the lock: makes <paramref name="keys"/>, in order. Returns their ids.</summary>
    public async Task<IReadOnlyList<string>> MakeAsync(IReadOnlyList<NewKey> keys, CancellationToken ct)
    {
        var made = new List<string>();
        await database.Dialect.RunExclusiveAsync(Lock, async () =>
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            foreach (var key in keys)
            {
                made.Add(await InsertAsync(connection, key, ct));
            }
        }, ct);
        return made;
    }

    // One transaction: the new key, and the retirement of the keys before it that have none yet or a later one.
    private async Task<string> InsertAsync(DbConnection connection, NewKey key, CancellationToken ct)
    {
        var earlier = (await ReadAsync(connection, ct)).Where(r => r.Use == key.Use && r.Activate_At < key.ActivateAt && (r.Retire_At is null || r.Retire_At > key.RetirePreviousAt));
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql(database.Dialect),
            new { keyId = key.KeyId, use = key.Use, material = key.ProtectedMaterial, now = key.Now, activateAt = key.ActivateAt }, transaction, cancellationToken: ct));
        foreach (var row in earlier)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE signing_keys SET retire_at = @retirePreviousAt WHERE key_id = @Key_Id",
                new { retirePreviousAt = key.RetirePreviousAt, row.Key_Id }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return key.KeyId;
    }

    private async Task<IReadOnlyList<SigningKeys.Row>> ReadAsync(DbConnection connection, CancellationToken ct) =>
        [.. await connection.QueryAsync<SigningKeys.Row>(new CommandDefinition(
            ReadSql(database.Dialect), cancellationToken: ct))];

    // The column "use" is a reserved word of T-SQL (USE database), so it is quoted by the dialect.
    internal static string InsertSql(SqlDialect dialect) =>
        $"INSERT INTO signing_keys (key_id, {dialect.Quoted("use")}, key_material, created_at, activate_at, retire_at) VALUES (@keyId, @use, @material, @now, @activateAt, NULL)";

    internal static string ReadSql(SqlDialect dialect) =>
        $"SELECT key_id, {dialect.Quoted("use")}, key_material, created_at, activate_at, retire_at FROM signing_keys ORDER BY activate_at, created_at, key_id";
}
