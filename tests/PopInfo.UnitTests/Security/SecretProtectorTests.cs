using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.Exchange;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.UnitTests.Security;

/// <summary>
/// The wrapper around Data Protection: stored values are marked and not the secret, only the same service and use
/// open them, another instance on the same database does, and a missing or wrong master key stops the start naming
/// the setting. On SQLite files in a folder of the test's own, with the exchange's migrations.
/// </summary>
public sealed class SecretProtectorTests : IDisposable
{
    private const string Purpose = "tests.secret";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-protector-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<SecretProtector> protectors = [];

    [Fact]
    public async Task A_secret_is_stored_marked_and_not_in_clear_and_opens_again()
    {
        var protector = await StartAsync("exchange", KeyFile("master"));

        var stored = protector.Protect(Purpose, "whsec_c2VjcmV0LWJ5dGVzLW9mLXRoZS13ZWJob29r");

        Assert.StartsWith(SecretProtector.Marker, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWJ5dGVzLW9mLXRoZS13ZWJob29r", stored, StringComparison.Ordinal);
        Assert.True(SecretProtector.IsProtected(stored));
        Assert.Equal("whsec_c2VjcmV0LWJ5dGVzLW9mLXRoZS13ZWJob29r", protector.Unprotect(Purpose, stored));
    }

    [Fact]
    public async Task A_value_stored_in_clear_before_is_read_as_it_is()
    {
        var protector = await StartAsync("exchange", KeyFile("master"));

        Assert.False(SecretProtector.IsProtected("whsec_abc="));
        Assert.Equal("whsec_abc=", protector.Unprotect(Purpose, "whsec_abc="));
    }

    [Fact]
    public async Task Another_use_of_the_same_service_cannot_open_it()
    {
        var protector = await StartAsync("exchange", KeyFile("master"));
        var stored = protector.Protect(Purpose, "secret");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("tests.other-use", stored));
    }

    [Fact]
    public async Task Another_instance_on_the_same_database_opens_it()
    {
        var key = KeyFile("master");
        var first = await StartAsync("exchange", key);
        var stored = first.Protect(Purpose, "secret");

        var second = await StartAsync("exchange", key);

        Assert.Equal("secret", second.Unprotect(Purpose, stored));
        Assert.Single(await KeyRingAsync("exchange"));
    }

    [Fact]
    public async Task Another_service_cannot_open_it_even_with_the_same_master_key()
    {
        var key = KeyFile("master");
        var exchange = await StartAsync("exchange", key);
        var other = await StartAsync("identity", key);

        var stored = exchange.Protect(Purpose, "secret");

        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(Purpose, stored));
    }

    [Fact]
    public async Task The_key_ring_is_stored_wrapped_by_the_master_key()
    {
        await StartAsync("exchange", KeyFile("master"));

        var xml = Assert.Single(await KeyRingAsync("exchange"));

        Assert.Contains("<wrappedKey kek=", xml, StringComparison.Ordinal);
        // Data Protection's own clear form of a key is <masterKey ...><value>base64</value></masterKey>.
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_master_key_stops_the_start_naming_the_setting()
    {
        await StartAsync("exchange", KeyFile("master"));

        var wrong = await Assert.ThrowsAnyAsync<CryptographicException>(() => StartAsync("exchange", KeyFile("another")));

        Assert.Contains("PopInfo:Secrets:KeyFile", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("does not open the exchange key ring", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_stops_the_start_naming_the_setting()
    {
        var missing = Path.Combine(folder, "no-such.key");

        var refused = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(new SecretsOptions { KeyFile = missing }, Sqlite()));

        Assert.StartsWith("PopInfo:Secrets:KeyFile: the master key file '" + missing + "' cannot be read", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_that_holds_no_key_stops_the_start_naming_the_setting()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "short.key");
        File.WriteAllText(path, Convert.ToBase64String(new byte[16]));

        var refused = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(new SecretsOptions { KeyFile = path }, Sqlite()));

        Assert.Equal($"PopInfo:Secrets:KeyFile: '{path}' does not hold a master key (base64 of exactly 32 bytes).", refused.Message);
    }

    [Fact]
    public void On_PostgreSql_no_key_file_stops_the_start_unless_development_allows_one_generated()
    {
        var postgres = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=127.0.0.1", DataDirectory = folder };

        var refused = Assert.Throws<InvalidOperationException>(() => MasterKey.Load(new SecretsOptions(), postgres));
        Assert.StartsWith("PopInfo:Secrets:KeyFile is required when PopInfo:Database:Provider is PostgreSql", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));

        var (key, path) = MasterKey.Load(new SecretsOptions { AllowGeneratedKeyFile = true }, postgres);
        Assert.Equal(32, key.Length);
        Assert.Equal(Path.Combine(folder, MasterKey.GeneratedFileName), path);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void On_SQLite_without_a_key_file_one_is_generated_0600_once_and_kept()
    {
        var (first, path) = MasterKey.Load(new SecretsOptions(), Sqlite());
        var (again, samePath) = MasterKey.Load(new SecretsOptions(), Sqlite());

        Assert.Equal(Path.Combine(folder, MasterKey.GeneratedFileName), path);
        Assert.Equal(path, samePath);
        Assert.Equal(first, again);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([MasterKey.GeneratedFileName], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Each_service_gets_its_own_key_encryption_key()
    {
        var master = RandomNumberGenerator.GetBytes(32);

        Assert.NotEqual(MasterKey.ForService(master, "exchange"), MasterKey.ForService(master, "identity"));
        Assert.Equal(MasterKey.ForService(master, "exchange"), MasterKey.ForService(master, "exchange"));
    }

    private DatabaseOptions Sqlite() => new() { Provider = DatabaseProvider.Sqlite, DataDirectory = folder };

    private string KeyFile(string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return path;
    }

    private async Task<SecretProtector> StartAsync(string service, string keyFile)
    {
        var database = new ServiceDatabase(service, SqliteDialect.Create(folder, service));
        await DatabaseMigrator.MigrateAsync(database, typeof(ExchangeModule).Assembly, NullLogger.Instance, CancellationToken.None);
        var protector = new SecretProtector(database, new SecretsOptions { KeyFile = keyFile }, Sqlite(), NullLoggerFactory.Instance, TimeProvider.System);
        protectors.Add(protector);
        await protector.StartAsync(CancellationToken.None);
        return protector;
    }

    private async Task<List<string>> KeyRingAsync(string service)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, service + ".db")};Pooling=False");
        return [.. await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")];
    }

    public void Dispose()
    {
        protectors.ForEach(p => p.Dispose());
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
