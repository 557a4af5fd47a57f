using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PopInfo.Exchange;
using PopInfo.Exchange.Departments;
using PopInfo.Identity;
using PopInfo.Identity.Server;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// Stored secrets are encrypted at rest (docs/security.md, "Secrets at rest"), read from the rows themselves: the
/// exchange's webhook secrets and the identity provider's keys. Webhooks are still signed verifiably by another
/// instance on the same database (a restart), also for a secret an earlier version stored in clear; another
/// service's protector cannot open the exchange's secret; a wrong or missing master key stops the start.
/// </summary>
public sealed class SecretsAtRestOnPostgreSqlTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Webhook_secrets_are_stored_encrypted_and_another_instance_still_signs_with_them_also_one_stored_in_clear()
    {
        var community = ExchangeFixture.FreshCommunity();
        await using var sealedReceiver = await WebhookReceiver.StartAsync();
        await using var clearReceiver = await WebhookReceiver.StartAsync();
        var sealedDepartment = await fixture.CreateDepartmentAsync("sealed", sealedReceiver.Url);
        var clearDepartment = await fixture.CreateDepartmentAsync("clear", clearReceiver.Url);
        sealedReceiver.Secret = sealedDepartment.WebhookSecret;
        clearReceiver.Secret = clearDepartment.WebhookSecret;
        await fixture.SubscribeAsync(sealedDepartment.Code, ["registered"], [community], ["sex"]);
        await fixture.SubscribeAsync(clearDepartment.Code, ["registered"], [community], ["sex"]);

        var stored = await StoredWebhookSecretAsync(sealedDepartment.Code);
        SecretsAtRest.AssertSealed(sealedDepartment.WebhookSecret, stored);
        // As an earlier version stored it.
        await ExecuteAsync("UPDATE exchange.departments SET webhook_secret = @secret WHERE code = @code",
            new { secret = clearDepartment.WebhookSecret, code = clearDepartment.Code });

        await fixture.RegisterResidentAsync(community);
        await Eventually.TrueAsync(() => Task.FromResult(sealedReceiver.Accepted.Count == 1 && clearReceiver.Accepted.Count == 1), Wait, "the first webhooks");

        // Another instance: this one stops, a new one starts on the same database with the same key file.
        fixture.Admin.Dispose();
        await fixture.Exchange.DisposeAsync();
        fixture.StartExchange();
        await fixture.RegisterResidentAsync(community);
        await Eventually.TrueAsync(() => Task.FromResult(sealedReceiver.Accepted.Count == 2 && clearReceiver.Accepted.Count == 2), Wait, "the webhooks after the restart",
            async () => $"sealed {sealedReceiver.Accepted.Count}, clear {clearReceiver.Accepted.Count}, status {await fixture.StatusAsync(clearDepartment.Code)}");

        Assert.All(sealedReceiver.Accepted.Concat(clearReceiver.Accepted), w => Assert.True(w.SignatureValid));
        Assert.Equal(0, sealedReceiver.Attempts - sealedReceiver.Accepted.Count);
        Assert.Equal(stored, await StoredWebhookSecretAsync(sealedDepartment.Code));
        SecretsAtRest.AssertSealed(clearDepartment.WebhookSecret, await StoredWebhookSecretAsync(clearDepartment.Code));
    }

    [Fact]
    public async Task The_identity_providers_keys_are_stored_encrypted_kept_across_a_restart_and_its_protector_cannot_open_the_exchanges_secret()
    {
        var department = await fixture.CreateDepartmentAsync("apart");
        var exchangeStored = await StoredWebhookSecretAsync(department.Code);
        var settings = RegistryHost.DistributedSettings(fixture.Desk.Database, fixture.Desk.VirtualHost);

        string keyId;
        List<(string Id, string Clear)> clear;
        await using (var identity = new IdentityHost(settings))
        {
            keyId = await SecretsAtRest.SigningKeyIdAsync(identity.CreateClient());
            var protector = identity.Services.GetRequiredKeyedService<SecretProtector>(IdentityModule.Name);
            var rows = await QueryAsync<(string Id, string Material)>("SELECT key_id, key_material FROM identity.signing_keys");
            Assert.Equal(2, rows.Count);
            clear = [.. rows.Select(r => (r.Id, protector.Unprotect(SigningKeys.Purpose, r.Material)))];
            Assert.All(rows, r => SecretsAtRest.AssertSealed(clear.Single(c => c.Id == r.Id).Clear, r.Material));
            Assert.Contains(clear, c => c.Clear.StartsWith("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal));

            Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(WebhookSecrets.Purpose, exchangeStored));
            Assert.Equal(department.WebhookSecret,
                fixture.Exchange.Services.GetRequiredKeyedService<SecretProtector>(ExchangeModule.Name).Unprotect(WebhookSecrets.Purpose, exchangeStored));
        }

        // As an earlier version stored them: the next instance encrypts them and signs with the same key.
        foreach (var (id, material) in clear)
        {
            await ExecuteAsync("UPDATE identity.signing_keys SET key_material = @material WHERE key_id = @id", new { id, material });
        }

        await using (var again = new IdentityHost(settings))
        {
            Assert.Equal(keyId, await SecretsAtRest.SigningKeyIdAsync(again.CreateClient()));
        }

        var after = await QueryAsync<(string Id, string Material)>("SELECT key_id, key_material FROM identity.signing_keys");
        Assert.Equal(2, after.Count);
        Assert.All(after, r => SecretsAtRest.AssertSealed(clear.Single(c => c.Id == r.Id).Clear, r.Material));
    }

    [Fact]
    public async Task A_wrong_or_missing_master_key_stops_the_start_naming_the_setting()
    {
        var settings = RegistryHost.DistributedSettings(fixture.Desk.Database, fixture.Desk.VirtualHost);
        var wrongKey = TestSecrets.NewKeyFile();

        var wrong = StartRefusal.Messages(await ExchangeHost.StartFailureAsync(new Dictionary<string, string?>(settings) { [MasterKey.Setting] = wrongKey }));
        Assert.Contains($"PopInfo:Secrets:KeyFile: the master key in '{wrongKey}' does not open the exchange key ring in its database", wrong, StringComparison.Ordinal);

        var missing = StartRefusal.Messages(await ExchangeHost.StartFailureAsync(new Dictionary<string, string?>(settings) { [MasterKey.Setting] = "" }));
        Assert.Contains("PopInfo:Secrets:KeyFile is required when PopInfo:Database:Provider is PostgreSql", missing, StringComparison.Ordinal);
    }

    private async Task<string> StoredWebhookSecretAsync(string code) =>
        Assert.Single(await QueryAsync<string>("SELECT webhook_secret FROM exchange.departments WHERE code = @code", new { code }));

    private async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(fixture.Desk.Database);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Desk.Database);
        await connection.ExecuteAsync(sql, parameters);
    }
}

/// <summary>The same on SQLite files: the embedded host, stopped and started again on its folder.</summary>
public sealed class SecretsAtRestOnSqliteTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-sealed-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Stored_secrets_are_encrypted_another_instance_signs_with_them_and_a_wrong_master_key_stops_the_start()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string keyId;
        await using (var platform = new EmbeddedPlatform(dataDirectory: folder))
        {
            using var admin = platform.ClientOf(ExchangeModule.Port);
            admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
            var (status, created) = await admin.PostAsync("/api/v1/departments", new { code = "sealed", name = "卫健委", contact = "0510-1", webhookUrl = receiver.Url });
            Assert.True(status == 201, created.ToJsonString());
            receiver.Secret = (string)created["credentials"]!["webhookSecret"]!;
            var (subscribed, subscription) = await admin.PostAsync("/api/v1/departments/sealed/subscriptions",
                new { changeTypes = new[] { "registered" }, regions = new[] { People.Community }, fields = new[] { "sex" }, purpose = "Maternal and child health records." });
            Assert.True(subscribed == 201, subscription.ToJsonString());
            using var registry = platform.ClientOf(5101);
            Assert.Equal(201, (await registry.PostAsync("/api/v1/persons", People.Resident())).Status);
            await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 1), TimeSpan.FromSeconds(30), "the first webhook");
            keyId = await SecretsAtRest.SigningKeyIdAsync(platform.ClientOf(IdentityModule.Port));

            var stored = Assert.Single(await QueryAsync<string>("exchange", "SELECT webhook_secret FROM departments"));
            SecretsAtRest.AssertSealed(receiver.Secret, stored);
            var keys = await QueryAsync<string>("identity", "SELECT key_material FROM signing_keys");
            Assert.Equal(2, keys.Count);
            var identity = platform.Services.GetRequiredKeyedService<SecretProtector>(IdentityModule.Name);
            Assert.All(keys, k => SecretsAtRest.AssertSealed(identity.Unprotect(SigningKeys.Purpose, k), k));
            Assert.ThrowsAny<CryptographicException>(() => identity.Unprotect(WebhookSecrets.Purpose, stored));
        }

        await using (var again = new EmbeddedPlatform(dataDirectory: folder))
        {
            using var registry = again.ClientOf(5101);
            Assert.Equal(201, (await registry.PostAsync("/api/v1/persons", People.Resident())).Status);
            await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 2), TimeSpan.FromSeconds(30), "the webhook after the restart");
            Assert.Equal(keyId, await SecretsAtRest.SigningKeyIdAsync(again.ClientOf(IdentityModule.Port)));
        }

        Assert.All(receiver.Accepted, w => Assert.True(w.SignatureValid));
        var wrongKey = TestSecrets.NewKeyFile();
        var refused = StartRefusal.Messages(await EmbeddedPlatform.StartFailureAsync(folder, new Dictionary<string, string?> { [MasterKey.Setting] = wrongKey }));
        Assert.Contains($"PopInfo:Secrets:KeyFile: the master key in '{wrongKey}' does not open the ", refused, StringComparison.Ordinal);
    }

    private async Task<List<T>> QueryAsync<T>(string service, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, service + ".db")};Pooling=False");
        return [.. await connection.QueryAsync<T>(sql)];
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

internal static class SecretsAtRest
{
    /// <summary>The stored value is encrypted: marked, and holding neither the secret nor its distinctive part.</summary>
    public static void AssertSealed(string secret, string stored)
    {
        Assert.StartsWith(SecretProtector.Marker, stored, StringComparison.Ordinal);
        Assert.NotEqual(secret, stored);
        var core = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        Assert.DoesNotContain(core.Length > 40 ? core[..40] : core, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", stored, StringComparison.Ordinal);
    }

    /// <summary>The key id the provider publishes (and so signs with).</summary>
    public static async Task<string> SigningKeyIdAsync(HttpClient http)
    {
        using (http)
        {
            var (status, discovery) = await http.GetJsonAsync("/.well-known/openid-configuration");
            Assert.Equal(200, status);
            var (keysStatus, keys) = await http.GetJsonAsync(new Uri((string)discovery["jwks_uri"]!).PathAndQuery);
            Assert.Equal(200, keysStatus);
            return (string)Assert.Single(keys["keys"]!.AsArray())!["kid"]!;
        }
    }
}
