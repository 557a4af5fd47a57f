using System.Security.Cryptography;
using Dapper;
using Microsoft.IdentityModel.Tokens;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Server;

/// <summary>
/// The provider's keys live in its database, not in one process: every instance signs with the same key and
/// publishes the same key set, and a restart does not invalidate the tokens in flight. The first instance to
/// start creates them (RSA 2048 for signatures, AES-256 for OpenIddict's own encrypted codes and refresh tokens).
/// The key material is stored encrypted (<see cref="SecretProtector"/>, the provider's own key ring); rows an
/// earlier version stored in clear are encrypted in place when they are read.
/// </summary>
public sealed class SigningKeys(
    [FromKeyedServices(IdentityModule.Name)] ServiceDatabase database,
    [FromKeyedServices(IdentityModule.Name)] SecretProtector protector,
    TimeProvider clock)
{
    public const string Purpose = "popinfo.identity.signing-key";

    public sealed record Keys(RsaSecurityKey Signing, SymmetricSecurityKey Encryption);

    private sealed record Row(string Key_Id, string Use, string Key_Material);

    public async Task<Keys> LoadOrCreateAsync(CancellationToken ct)
    {
        await protector.EncryptClearValuesAsync("signing_keys", "key_id", "key_material", Purpose, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await ReadAsync(connection, ct);
        if (!rows.Any(r => r.Use == "sig") || !rows.Any(r => r.Use == "enc"))
        {
            using var rsa = RSA.Create(2048);
            var now = clock.GetUtcNow();
            // Two instances starting at once both try: the key ids differ, and both read back the newest after.
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO signing_keys (key_id, use, key_material, created_at) VALUES (@sigId, 'sig', @sig, @now), (@encId, 'enc', @enc, @now)",
                new
                {
                    sigId = Guid.NewGuid().ToString("N"), sig = protector.Protect(Purpose, rsa.ExportPkcs8PrivateKeyPem()),
                    encId = Guid.NewGuid().ToString("N"), enc = protector.Protect(Purpose, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), now,
                }, cancellationToken: ct));
            rows = await ReadAsync(connection, ct);
        }

        var signing = rows.First(r => r.Use == "sig");
        var encryption = rows.First(r => r.Use == "enc");
        var key = RSA.Create();
        key.ImportFromPem(protector.Unprotect(Purpose, signing.Key_Material));
        return new Keys(
            new RsaSecurityKey(key) { KeyId = signing.Key_Id },
            new SymmetricSecurityKey(Convert.FromBase64String(protector.Unprotect(Purpose, encryption.Key_Material))) { KeyId = encryption.Key_Id });
    }

    private static async Task<List<Row>> ReadAsync(System.Data.Common.DbConnection connection, CancellationToken ct) =>
        [.. await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT key_id, use, key_material FROM signing_keys ORDER BY created_at DESC, key_id", cancellationToken: ct))];
}
