using System.Security.Cryptography;
using Dapper;
using Microsoft.IdentityModel.Tokens;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Server;

/// <summary>
/// The provider's keys live in its database, not in one process: every instance signs with the same key and
/// publishes the same key set, and a restart does not invalidate the tokens in flight. The first instance to
/// start creates them (RSA 2048 for signatures, AES-256 for OpenIddict's own encrypted codes and refresh tokens).
/// </summary>
public sealed class SigningKeys([FromKeyedServices(IdentityModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    public sealed record Keys(RsaSecurityKey Signing, SymmetricSecurityKey Encryption);

    private sealed record Row(string Key_Id, string Use, string Key_Material);

    public async Task<Keys> LoadOrCreateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT key_id, use, key_material FROM signing_keys ORDER BY created_at DESC, key_id", cancellationToken: ct))).ToList();
        if (!rows.Any(r => r.Use == "sig") || !rows.Any(r => r.Use == "enc"))
        {
            using var rsa = RSA.Create(2048);
            var now = clock.GetUtcNow();
            // Two instances starting at once both try: the key ids differ, and both read back the newest after.
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO signing_keys (key_id, use, key_material, created_at) VALUES (@sigId, 'sig', @sig, @now), (@encId, 'enc', @enc, @now)",
                new
                {
                    sigId = Guid.NewGuid().ToString("N"), sig = rsa.ExportPkcs8PrivateKeyPem(),
                    encId = Guid.NewGuid().ToString("N"), enc = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), now,
                }, cancellationToken: ct));
            rows = [.. await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT key_id, use, key_material FROM signing_keys ORDER BY created_at DESC, key_id", cancellationToken: ct))];
        }

        var signing = rows.First(r => r.Use == "sig");
        var encryption = rows.First(r => r.Use == "enc");
        var key = RSA.Create();
        key.ImportFromPem(signing.Key_Material);
        return new Keys(
            new RsaSecurityKey(key) { KeyId = signing.Key_Id },
            new SymmetricSecurityKey(Convert.FromBase64String(encryption.Key_Material)) { KeyId = encryption.Key_Id });
    }
}
