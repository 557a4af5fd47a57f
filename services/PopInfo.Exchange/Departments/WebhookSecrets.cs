using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Departments;

/// <summary>
/// The departments' webhook secrets are stored encrypted (<see cref="SecretProtector"/>, the exchange's own key
/// ring) and opened only to sign a webhook. They cannot be hashed like API keys: signing needs the secret itself.
/// At start, secrets stored in clear by an earlier version are encrypted in place, so no department loses its webhook.
/// </summary>
public sealed class WebhookSecrets(
    [FromKeyedServices(ExchangeModule.Name)] SecretProtector protector,
    [FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database,
    ILogger<WebhookSecrets> logger) : IHostedService
{
    public const string Purpose = "popinfo.exchange.webhook-secret";

    /// <summary>The value to store in <c>departments.webhook_secret</c>.</summary>
    public string Protect(string secret) => protector.Protect(Purpose, secret);

    /// <summary>The secret to sign with, from the stored value.</summary>
    public string Open(string stored) => protector.Unprotect(Purpose, stored);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Code, string Secret)>(new CommandDefinition(
            "SELECT code, webhook_secret FROM departments WHERE webhook_secret IS NOT NULL", cancellationToken: cancellationToken));
        var encrypted = 0;
        foreach (var (code, secret) in rows.Where(r => !SecretProtector.IsProtected(r.Secret)))
        {
            // Only if still the clear value: another instance starting at once, or a rotation, may have written it.
            encrypted += await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE departments SET webhook_secret = @stored WHERE code = @code AND webhook_secret = @secret",
                new { code, secret, stored = Protect(secret) }, cancellationToken: cancellationToken));
        }

        if (encrypted > 0)
        {
            logger.LogInformation("Encrypted {Count} webhook secrets stored in clear by an earlier version", encrypted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
