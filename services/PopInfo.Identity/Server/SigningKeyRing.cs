using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace PopInfo.Identity.Server;

/// <summary>The key rotation settings (<c>PopInfo:Identity</c>), checked at start by <see cref="SigningKeySchedule.Problems"/>.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>How long a key signs before its successor takes over.</summary>
    public TimeSpan SigningKeyLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a new key is published in the key set before it signs: longer than validators keep a key set (the
    /// platform's services an hour; Microsoft's libraries 12 hours by default), so none meets a token whose key it has
    /// not read.
    /// </summary>
    public TimeSpan SigningKeyPublishAhead { get; set; } = TimeSpan.FromHours(13);
}

/// <summary>Checks the rotation settings at start, naming each one that is wrong (<see cref="SigningKeySchedule.Problems"/>).</summary>
public sealed class SigningKeyOptionsValidation : IValidateOptions<SigningKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningKeyOptions options) =>
        SigningKeySchedule.Problems(options.SigningKeyLifetime, options.SigningKeyPublishAhead) is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The keys this instance works with, handed to OpenIddict. OpenIddict reads <see cref="OpenIddictServerOptions"/>
/// through <c>IOptionsMonitor.CurrentValue</c> for every request (its dispatcher and factory), signs with the first
/// signing credential (the first encryption credential encrypts its codes and refresh tokens), publishes every
/// asymmetric signing key in its key set and accepts every key of both lists when it reads its own tokens. So the
/// ring puts the active key first, then the published successor, then the earlier keys still accepted, and when that
/// changes it fires this options' change token: the monitor drops its cached options and builds them again from
/// the new ring on the next request — no restart. (OpenIddict then sorts the credentials, preferring symmetric and
/// X.509 keys; between plain RSA keys — or AES keys — it keeps this order.)
/// </summary>
public sealed class SigningKeyRing(
    SigningKeys store, TimeProvider clock, IOptions<SigningKeyOptions> options, IOptions<IdentityOptions> identity, ILogger<SigningKeyRing> logger)
    : IOptionsChangeTokenSource<OpenIddictServerOptions>, IConfigureOptions<OpenIddictServerOptions>, IDisposable
{
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private CancellationTokenSource changed = new();
    private volatile Snapshot? current;

    /// <summary>The keys in use, in OpenIddict's order.</summary>
    public sealed record Snapshot(IReadOnlyList<SigningCredentials> Signing, IReadOnlyList<EncryptingCredentials> Encryption, string Fingerprint);

    public string? Name => Options.DefaultName;

    /// <summary>How long a key stays accepted after its successor activated (the longest life of what it signed).</summary>
    public TimeSpan Retention => SigningKeySchedule.Retention(IdentityModule.RefreshTokenLifetime, identity.Value.AccessTokenLifetime);

    public void Dispose()
    {
        refreshing.Dispose();
        changed.Dispose();
    }

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref changed).Token);

    /// <summary>OpenIddict's options, built from the ring (read from the database the first time, before the first request).</summary>
    public void Configure(OpenIddictServerOptions server)
    {
        var keys = current ?? RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
        server.SigningCredentials.AddRange(keys.Signing);
        server.EncryptionCredentials.AddRange(keys.Encryption);
    }

    /// <summary>
    /// Makes the keys that are due, reads the keys from the database and, when the set or its order changed, swaps
    /// the ring and tells OpenIddict. Every instance does this every minute (<see cref="SigningKeyRotation"/>).
    /// </summary>
    public async Task<Snapshot> RefreshAsync(CancellationToken ct)
    {
        await refreshing.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            var made = await store.EnsureAsync(now, options.Value.SigningKeyLifetime, options.Value.SigningKeyPublishAhead, Retention, ct);
            if (made.Count > 0)
            {
                logger.LogInformation("Signing keys made: {KeyIds}", string.Join(", ", made));
            }

            var rows = await store.ReadAsync(ct);
            var signing = InUse(rows, SigningKeySchedule.Signing, now);
            var encryption = InUse(rows, SigningKeySchedule.Encryption, now);
            var fingerprint = string.Join(' ', signing.Select(r => r.Key_Id)) + " / " + string.Join(' ', encryption.Select(r => r.Key_Id));
            if (current?.Fingerprint == fingerprint)
            {
                return current;
            }

            var snapshot = new Snapshot(
                [.. signing.Select(r => new SigningCredentials(store.OpenSigning(r), SecurityAlgorithms.RsaSha256))],
                [.. encryption.Select(r => new EncryptingCredentials(store.OpenEncryption(r), SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512))],
                fingerprint);
            var first = current is null;
            current = snapshot;
            if (!first)
            {
                logger.LogInformation("Signing keys in use now (active first): {Keys}", fingerprint);
                var previous = Interlocked.Exchange(ref changed, new CancellationTokenSource());
                await previous.CancelAsync();
                previous.Dispose();
            }

            return snapshot;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private IReadOnlyList<SigningKeys.Row> InUse(IReadOnlyList<SigningKeys.Row> rows, string use, DateTimeOffset now)
    {
        var ofUse = rows.Where(r => r.Use == use).ToList();
        return [.. SigningKeySchedule.InUse([.. ofUse.Select(r => r.Times)], now, Retention).Select(t => ofUse.Single(r => r.Key_Id == t.KeyId))];
    }
}

/// <summary>Every minute, on every instance: make the keys that are due and take up the keys another instance made.</summary>
public sealed class SigningKeyRotation(SigningKeyRing ring, TimeProvider clock, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await ring.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The keys in use stay; the next minute tries again.
                logger.LogError(e, "Refreshing the signing keys failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
