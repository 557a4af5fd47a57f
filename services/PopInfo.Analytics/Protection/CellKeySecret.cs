using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Analytics.Protection;

/// <summary>
/// The secret of the record keys: from the setting, or made once and kept in the service's database, encrypted with its
/// key ring — kept, because a new secret would give every cell new noise, and a planner who saw both could average them.
/// </summary>
public sealed class CellKeySecret(
    [FromKeyedServices(AnalyticsModule.Name)] ServiceDatabase database,
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

        await using var connection = await database.OpenConnectionAsync(ct);
        var made = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Two instances starting together: the first insert wins and both read it back.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cell_key_secret (id, secret, created_at) VALUES (1, @secret, @now) ON CONFLICT (id) DO NOTHING",
            new { secret = protector.Protect(Purpose, made), now = clock.GetUtcNow() }, cancellationToken: ct));
        var stored = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT secret FROM cell_key_secret WHERE id = 1", cancellationToken: ct));
        secret = Convert.FromBase64String(protector.Unprotect(Purpose, stored!));
    }
}
