using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.IdentityModel.Tokens;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Server;

/// <summary>
/// The store of the provider's keys (<c>signing_keys</c>): they live in its database, not in one process, so every
/// instance signs with the same key and publishes the same key set, and a restart does not invalidate the tokens in
/// flight. Keys are RSA 2048 for signatures and AES-256 for OpenIddict's own encrypted codes and refresh tokens, each
/// with its times (<see cref="SigningKeySchedule"/>). Successors are made under a lock all instances share, after
/// reading again what another may have made. The key material is stored encrypted (<see cref="SecretProtector"/>, the
/// provider's own key ring); rows an earlier version stored in clear are encrypted in place when they are read.
/// </summary>
public sealed class SigningKeys(
    [FromKeyedServices(IdentityModule.Name)] ServiceDatabase database,
    [FromKeyedServices(IdentityModule.Name)] SecretProtector protector)
{
    public const string Purpose = "popinfo.identity.signing-key";

    /// <summary>One key as stored, its material still protected.</summary>
    public sealed class Row
    {
        public string Key_Id { get; init; } = "";
        public string Use { get; init; } = "";
        public string Key_Material { get; init; } = "";
        public DateTimeOffset Created_At { get; init; }
        public DateTimeOffset Activate_At { get; init; }
        public DateTimeOffset? Retire_At { get; init; }

        public SigningKeySchedule.KeyTimes Times => new(Key_Id, Use, Created_At, Activate_At, Retire_At);
    }

    /// <summary>Every key, retired ones included (a handful: rows are few and compared in C#, the same in both dialects).</summary>
    public async Task<IReadOnlyList<Row>> ReadAsync(CancellationToken ct)
    {
        await protector.EncryptClearValuesAsync("signing_keys", "key_id", "key_material", Purpose, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        return await ReadAsync(connection, ct);
    }

    /// <summary>
    /// Makes the keys the schedule says are due (the first ones; a successor a while before the current one's end), under
    /// a lock all instances share, deciding on what is stored once the lock is held. Returns the key ids made.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(DateTimeOffset now, TimeSpan lifetime, TimeSpan publishAhead, TimeSpan retention, CancellationToken ct)
    {
        var made = new List<string>();
        await database.Dialect.RunExclusiveAsync("popinfo.identity.signing-keys", async () =>
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            var rows = await ReadAsync(connection, ct);
            foreach (var use in new[] { SigningKeySchedule.Signing, SigningKeySchedule.Encryption })
            {
                var times = rows.Where(r => r.Use == use).Select(r => r.Times).ToList();
                if (SigningKeySchedule.SuccessorDue(times, now, lifetime, publishAhead) is { } activateAt)
                {
                    made.Add(await InsertAsync(connection, use, now, activateAt, retirePreviousAt: activateAt + retention, ct));
                }
            }
        }, ct);
        return made;
    }

    /// <summary>
    /// An administrator's rotation: a new key of each use, activating <paramref name="activateAt"/>; the earlier keys
    /// retire <paramref name="retirePreviousAt"/> (their tokens' life after the new ones activate, or at once).
    /// </summary>
    public async Task<IReadOnlyList<string>> RotateAsync(DateTimeOffset now, DateTimeOffset activateAt, DateTimeOffset retirePreviousAt, CancellationToken ct)
    {
        var made = new List<string>();
        await database.Dialect.RunExclusiveAsync("popinfo.identity.signing-keys", async () =>
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            foreach (var use in new[] { SigningKeySchedule.Signing, SigningKeySchedule.Encryption })
            {
                made.Add(await InsertAsync(connection, use, now, activateAt, retirePreviousAt, ct));
            }
        }, ct);
        return made;
    }

    /// <summary>Opens a signing key's material (RSA, with its key id).</summary>
    public RsaSecurityKey OpenSigning(Row row)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(protector.Unprotect(Purpose, row.Key_Material));
        return new RsaSecurityKey(rsa) { KeyId = row.Key_Id };
    }

    /// <summary>Opens an encryption key's material (AES-256, with its key id).</summary>
    public SymmetricSecurityKey OpenEncryption(Row row) =>
        new(Convert.FromBase64String(protector.Unprotect(Purpose, row.Key_Material))) { KeyId = row.Key_Id };

    // One transaction: the new key, and the retirement of the keys before it that have none yet or a later one.
    private async Task<string> InsertAsync(DbConnection connection, string use, DateTimeOffset now, DateTimeOffset activateAt,
        DateTimeOffset retirePreviousAt, CancellationToken ct)
    {
        var keyId = Guid.NewGuid().ToString("N");
        string material;
        if (use == SigningKeySchedule.Signing)
        {
            using var rsa = RSA.Create(2048);
            material = rsa.ExportPkcs8PrivateKeyPem();
        }
        else
        {
            material = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        var earlier = (await ReadAsync(connection, ct)).Where(r => r.Use == use && r.Activate_At < activateAt && (r.Retire_At is null || r.Retire_At > retirePreviousAt));
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO signing_keys (key_id, use, key_material, created_at, activate_at, retire_at) VALUES (@keyId, @use, @material, @now, @activateAt, NULL)",
            new { keyId, use, material = protector.Protect(Purpose, material), now, activateAt }, transaction, cancellationToken: ct));
        foreach (var row in earlier)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE signing_keys SET retire_at = @retirePreviousAt WHERE key_id = @Key_Id",
                new { retirePreviousAt, row.Key_Id }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return keyId;
    }

    private static async Task<IReadOnlyList<Row>> ReadAsync(DbConnection connection, CancellationToken ct) =>
        [.. await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT key_id, use, key_material, created_at, activate_at, retire_at FROM signing_keys ORDER BY activate_at, created_at, key_id", cancellationToken: ct))];
}
