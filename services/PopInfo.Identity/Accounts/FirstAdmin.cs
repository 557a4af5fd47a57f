using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults;

namespace PopInfo.Identity.Accounts;

/// <summary>
/// On the first start (no account at all) creates the administrator <c>admin</c>. Its password is
/// <c>PopInfo:Identity:AdminPassword</c> when set; otherwise a random one, written to
/// <c>{DataDirectory}/identity-admin-password.txt</c> — a file created readable by its owner only (0600) from its
/// first byte, never to the log.
/// </summary>
public sealed class FirstAdmin(AccountService accounts, IOptions<IdentityOptions> options, IConfiguration configuration, ILogger<FirstAdmin> logger) : IHostedService
{
    public const string FileName = "identity-admin-password.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)) : configured;
        if (password.Length < AccountService.MinPasswordLength)
        {
            throw new InvalidOperationException($"PopInfo:Identity:AdminPassword must have at least {AccountService.MinPasswordLength} characters.");
        }

        if (!await accounts.CreateFirstAdminAsync(password, cancellationToken))
        {
            return;
        }

        if (!string.IsNullOrEmpty(configured))
        {
            logger.LogWarning("Created the first administrator 'admin' with the password from PopInfo:Identity:AdminPassword");
            return;
        }

        var folder = configuration["PopInfo:Database:DataDirectory"] ?? "data";
        var path = await PrivateFiles.WriteSecretAsync(folder, FileName, password, cancellationToken);
        logger.LogWarning("Created the first administrator 'admin'; its password is in {Path}", path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
