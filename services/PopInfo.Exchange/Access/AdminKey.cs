using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults;

namespace PopInfo.Exchange.Access;

/// <summary>
/// The administrator's key: <c>PopInfo:Exchange:AdminKey</c> when set; otherwise generated on the first
/// start and written to <c>{DataDirectory}/exchange-admin-key.txt</c> (owner-readable only) — never to the log.
/// Only its hash is kept in memory.
/// </summary>
public sealed class AdminKey(IOptions<ExchangeOptions> options, IConfiguration configuration, ILogger<AdminKey> logger) : IHostedService
{
    private const string FileName = "exchange-admin-key.txt";

    private string? hash = options.Value.AdminKey is { Length: > 0 } configured ? Secrets.Hash(configured) : null;

    public bool Matches(string keyHash) => hash is not null && Secrets.EqualHashes(hash, keyHash);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (hash is not null)
        {
            if (options.Value.AdminKey!.Length < 20)
            {
                throw new InvalidOperationException("PopInfo:Exchange:AdminKey must have at least 20 characters.");
            }

            return;
        }

        var folder = configuration["PopInfo:Database:DataDirectory"] ?? "data";
        var path = Path.GetFullPath(Path.Combine(folder, FileName));
        if (File.Exists(path))
        {
            hash = Secrets.Hash((await File.ReadAllTextAsync(path, cancellationToken)).Trim());
            return;
        }

        var key = Secrets.NewApiKey();
        await PrivateFiles.WriteSecretAsync(folder, FileName, key, cancellationToken);
        hash = Secrets.Hash(key);
        logger.LogWarning("Generated the exchange's administrator key; it is in {Path}", path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
