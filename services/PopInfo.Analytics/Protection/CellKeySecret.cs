using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Analytics.Protection;

/// <summary>
/// The secret of the record keys: from the setting, or made once and kept in the service's database, encrypted with its
/// key ring — kept, because a new secret would give every cell new noise, and a planner who saw both could average them.
/// </summary>
public sealed class CellKeySecret(
    CellKeySecretStore store,
    [FromKeyedServices(AnalyticsModule.Name)] SecretProtector protector,
    IOptions<AnalyticsOptions> options,
    TimeProvider clock)
{
    private const string Purpose = "analytics.cell-key-secret";
    private byte[]? secret;

    /// <summary>The secret (after <see cref="LoadAsync"/>).</summary>
    public byte[] Value => secret ?? throw new InvalidOperationException("The cell-key secret is not loaded yet.");

    public async Task LoadAsync(CancellationToken ct)
    {
        if (options.Value.CellKeySecret is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            secret = bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"{AnalyticsOptions.Section}:CellKeySecret is at least 32 bytes (base64).");
            return;
        }

        var made = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Two instances starting together: the first insert wins and both read it back.
        var stored = await store.KeepAsync(protector.Protect(Purpose, made), clock.GetUtcNow(), ct);
        secret = Convert.FromBase64String(protector.Unprotect(Purpose, stored));
    }
}
