using System.Security.Cryptography;
using PopInfo.ServiceDefaults;

namespace PopInfo.Collection.Accounts;

/// <summary>
/// On the first start (no account at all) creates the account <c>admin</c>. Its password is
/// <c>PopInfo:Collection:AdminPassword</c> when set; otherwise a random one is written to
/// <c>{DataDirectory}/collection-admin-password.txt</c> (readable by its owner only) — never to the log.
/// </summary>
public sealed class FirstAdmin(AccountService accounts, IConfiguration configuration, ILogger<FirstAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration["PopInfo:Collection:AdminPassword"];
        var password = string.IsNullOrEmpty(configured) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)) : configured;
        if (password.Length < AccountService.MinPasswordLength)
        {
            throw new InvalidOperationException($"PopInfo:Collection:AdminPassword must have at least {AccountService.MinPasswordLength} characters.");
        }

        if (!await accounts.CreateFirstAdminAsync(password, cancellationToken))
        {
            return;
        }

        if (!string.IsNullOrEmpty(configured))
        {
            logger.LogWarning("Created the first account 'admin' with the password from PopInfo:Collection:AdminPassword");
            return;
        }

        var folder = configuration["PopInfo:Database:DataDirectory"] ?? "data";
        var path = await PrivateFiles.WriteSecretAsync(folder, "collection-admin-password.txt", password, cancellationToken);
        logger.LogWarning("Created the first account 'admin'; its password is in {Path}", path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
