using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Departments;

/// <summary>
/// The departments' webhook secrets are stored encrypted (<see cref="SecretProtector"/>, the exchange's own key
/// ring) and opened only to sign a webhook. They cannot be hashed like API keys: signing needs the secret itself.
/// At start, secrets stored in clear by an earlier version are encrypted in place, so no department loses its webhook.
/// </summary>
public sealed class WebhookSecrets([FromKeyedServices(ExchangeModule.Name)] SecretProtector protector, ILogger<WebhookSecrets> logger) : IHostedService
{
    public const string Purpose = "popinfo.exchange.webhook-secret";

    /// <summary>The value to store in <c>departments.webhook_secret</c>.</summary>
    public string Protect(string secret) => protector.Protect(Purpose, secret);

    /// <summary>The secret to sign with, from the stored value.</summary>
    public string Open(string stored) => protector.Unprotect(Purpose, stored);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var encrypted = await protector.EncryptClearValuesAsync("departments", "code", "webhook_secret", Purpose, cancellationToken);
        if (encrypted > 0)
        {
            logger.LogInformation("Encrypted {Count} webhook secrets stored in clear by an earlier version", encrypted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
