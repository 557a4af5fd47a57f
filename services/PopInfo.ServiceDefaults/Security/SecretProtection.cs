using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// Encrypts the secrets a service stores (webhook secrets, the identity provider's keys) with ASP.NET Core Data
/// Protection. Each service has a key ring of its own, in its own database (<see cref="DataProtectionKeyStore"/>),
/// under the application name <c>popinfo-{service}</c>, its keys wrapped by a key derived from the master key file
/// (<see cref="MasterKey"/>); so every instance of a service opens what another stored, and no other service does.
/// Stored values carry the marker <see cref="Marker"/>; a value without it is one stored in clear before this
/// existed, which the service re-encrypts at its start.
/// </summary>
public sealed class SecretProtector : IDisposable
{
    public const string Marker = "dp1:";

    private readonly ServiceProvider container;
    private readonly IDataProtectionProvider provider;
    private readonly DataProtectionKeyStore keys;
    private readonly KeyEncryptionKey kek;
    private readonly ServiceDatabase database;

    public SecretProtector(ServiceDatabase database, SecretsOptions secrets, DatabaseOptions databaseOptions, ILoggerFactory loggerFactory, TimeProvider clock)
    {
        this.database = database;
        var (master, path) = MasterKey.Load(secrets, databaseOptions);
        kek = new KeyEncryptionKey(MasterKey.ForService(master, database.ServiceName), database.ServiceName, path);
        CryptographicOperations.ZeroMemory(master);
        keys = new DataProtectionKeyStore(database, clock);

        // A container of its own per service: in the embedded host all services share one, and each needs its own
        // ring, application name and key-encryption key. Configured before AddDataProtection, so that its default
        // set-up never picks a key folder on the disk.
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddSingleton(kek);
        services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = keys;
            o.XmlEncryptor = new KeyRingEncryptor(kek);
        });
        services.AddDataProtection().SetApplicationName("popinfo-" + database.ServiceName);
        container = services.BuildServiceProvider();
        provider = container.GetRequiredService<IDataProtectionProvider>();
    }

    public string ServiceName => database.ServiceName;

    /// <summary>The ring's store and key-encryption key, for the process's own Data Protection (<see cref="SecretProtection.AddSessionKeyRing"/>).</summary>
    internal DataProtectionKeyStore Keys => keys;

    internal KeyEncryptionKey Kek => kek;

    /// <summary>True when the stored value is encrypted (carries the marker).</summary>
    public static bool IsProtected(string stored) => stored.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The value to store for <paramref name="secret"/>; <paramref name="purpose"/> names its use, and only that use opens it.</summary>
    public string Protect(string purpose, string secret) => Marker + provider.CreateProtector(purpose).Protect(secret);

    /// <summary>The secret a stored value holds. A value without the marker was stored in clear before this existed and is returned as it is.</summary>
    public string Unprotect(string purpose, string stored) =>
        IsProtected(stored) ? provider.CreateProtector(purpose).Unprotect(stored[Marker.Length..]) : stored;

    /// <summary>
    /// Encrypts in place the values of <paramref name="table"/>.<paramref name="column"/> an earlier version stored in
    /// clear (rows named by <paramref name="keyColumn"/>); returns how many. Each row only if it still holds the clear
    /// value: another instance starting at once, or a new secret written meanwhile, may have changed it.
    /// </summary>
    public Task<int> EncryptClearValuesAsync(string table, string keyColumn, string column, string purpose, CancellationToken ct) =>
        ProtectedColumns.RewriteAsync(database, table, keyColumn, column, value => IsProtected(value) ? null : Protect(purpose, value), ct);

    /// <summary>
    /// At start: every key of the ring opens with this master key (else the start stops, naming the setting), and
    /// the ring has a key to use. The first key is made under a lock shared by all instances, so that two instances
    /// starting on an empty ring do not each make one that the other does not know.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var wrapped in keys.GetAllElements().SelectMany(e => e.DescendantsAndSelf(KeyRingEncryptor.Element)))
        {
            KeyRingEncryptor.Decrypt(kek, wrapped);
        }

        await database.Dialect.RunExclusiveAsync("popinfo.data-protection." + ServiceName, () =>
        {
            var probe = provider.CreateProtector("popinfo.start");
            probe.Unprotect(probe.Protect("probe"));
            return Task.CompletedTask;
        }, ct);
    }

    public void Dispose() => container.Dispose();
}

public static class SecretProtection
{
    /// <summary>
    /// Gives the service <paramref name="serviceName"/> a <see cref="SecretProtector"/> (keyed by the service's name),
    /// its key ring in the table <see cref="DataProtectionKeyStore.Table"/> of its database (the service's migrations
    /// create it). Call after <c>AddServiceDatabase</c>: the ring is checked at start, after the migrations ran.
    /// </summary>
    public static IHostApplicationBuilder AddSecretProtection(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.Section);
        builder.Services.AddKeyedSingleton(serviceName, (sp, _) => new SecretProtector(
            sp.GetRequiredKeyedService<ServiceDatabase>(serviceName),
            sp.GetRequiredService<IOptions<SecretsOptions>>().Value,
            sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Database,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IHostedService>(sp => new Start(sp.GetRequiredKeyedService<SecretProtector>(serviceName)));
        return builder;
    }

    /// <summary>
    /// The process's own Data Protection — session cookies, anti-forgery tokens, OpenID Connect sign-in state — on the
    /// key ring of <paramref name="serviceName"/> in its database, wrapped by its master key: every instance of the
    /// service reads the others' cookies, and a restart signs nobody out. Not the default folder on one machine's disk.
    /// In the embedded host, where one process serves several services, the first service to ask holds the ring.
    /// Call after <see cref="AddSecretProtection"/> for the same service.
    /// </summary>
    public static IHostApplicationBuilder AddSessionKeyRing(this IHostApplicationBuilder builder, string serviceName)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(SessionKeyRingOwner)))
        {
            return builder;
        }

        builder.Services.AddSingleton(new SessionKeyRingOwner(serviceName));
        // The ring's decryptor finds its key-encryption key in the container it is created from: this one.
        builder.Services.AddSingleton(sp => sp.GetRequiredKeyedService<SecretProtector>(serviceName).Kek);
        builder.Services.AddDataProtection().SetApplicationName("popinfo-" + serviceName + "-sessions");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            var protector = sp.GetRequiredKeyedService<SecretProtector>(serviceName);
            options.XmlRepository = protector.Keys;
            options.XmlEncryptor = new KeyRingEncryptor(protector.Kek);
        });
        return builder;
    }

    private sealed record SessionKeyRingOwner(string ServiceName);

    private sealed class Start(SecretProtector protector) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => protector.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
