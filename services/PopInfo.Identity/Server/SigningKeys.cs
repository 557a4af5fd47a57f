using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
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
    SigningKeyStore store,
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
        return await store.ReadAsync(ct);
    }

    /// <summary>
    /// Makes the keys the schedule says are due (the first ones; a successor a while before the current one's end), under
    /// a lock all instances share, deciding on what is stored once the lock is held. Returns the key ids made.
    /// </summary>
    public Task<IReadOnlyList<string>> EnsureAsync(DateTimeOffset now, TimeSpan lifetime, TimeSpan publishAhead, TimeSpan retention, CancellationToken ct) =>
        store.MakeDueAsync(rows =>
        {
            var due = new List<SigningKeyStore.NewKey>();
            foreach (var use in new[] { SigningKeySchedule.Signing, SigningKeySchedule.Encryption })
            {
                var times = rows.Where(r => r.Use == use).Select(r => r.Times).ToList();
                if (SigningKeySchedule.SuccessorDue(times, now, lifetime, publishAhead) is { } activateAt)
                {
                    due.Add(NewKey(use, now, activateAt, retirePreviousAt: activateAt + retention));
                }
            }

            return due;
        }, ct);

    /// <summary>
    /// An administrator's rotation: a new key of each use, activating <paramref name="activateAt"/>; the earlier keys
    /// retire <paramref name="retirePreviousAt"/> (their tokens' life after the new ones activate, or at once).
    /// </summary>
    public Task<IReadOnlyList<string>> RotateAsync(DateTimeOffset now, DateTimeOffset activateAt, DateTimeOffset retirePreviousAt, CancellationToken ct) =>
        store.MakeAsync([NewKey(SigningKeySchedule.Signing, now, activateAt, retirePreviousAt), NewKey(SigningKeySchedule.Encryption, now, activateAt, retirePreviousAt)], ct);

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

    // A new key of a use: its material made here and protected before it goes to the store.
    private SigningKeyStore.NewKey NewKey(string use, DateTimeOffset now, DateTimeOffset activateAt, DateTimeOffset retirePreviousAt)
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

        return new SigningKeyStore.NewKey(keyId, use, protector.Protect(Purpose, material), now, activateAt, retirePreviousAt);
    }
}
