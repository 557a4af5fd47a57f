using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>
/// A rotated client secret: the new one works at once, the previous one until the overlap ends (its time, or an
/// administrator ending it), every step audited; a platform service's previous secret from its settings.
/// </summary>
public sealed class ClientSecretRotationTests
{
    private static async Task<int> TokenAsync(IdentityHost identity, string clientId, string secret, string scope) =>
        (await identity.ClientCredentialsAsync(clientId, secret, scope)).Status;

    [Fact]
    public async Task The_previous_secret_works_until_the_overlap_ends_or_is_ended()
    {
        var clock = new ShiftedClock();
        await using var identity = IdentityHost.OnSqlite();
        identity.TestServices = services => services.AddSingleton<TimeProvider>(clock);
        using var admin = identity.CreateAdminClient();
        const string scope = PlatformScopes.ExchangeDepartment;
        async Task<JsonObject> ViewAsync() => (await admin.GetJsonArrayAsync("/api/v1/clients")).Body.Single(c => (string)c!["clientId"]! == "dept-tax")!.AsObject();

        var (created, client) = await admin.PostAsync("/api/v1/clients", new { departmentCode = "tax", displayName = "税务局" });
        Assert.True(created == 201, client.ToJsonString());
        var first = (string)client["clientSecret"]!;
        Assert.Null((await ViewAsync())["previousSecretExpiresAt"]);

        // Default overlap: a day. Both secrets work; the view says until when the previous one does.
        var (rotated, issued) = await admin.PostAsync("/api/v1/clients/dept-tax/secret", new { });
        Assert.True(rotated == 200, issued.ToJsonString());
        var second = (string)issued["clientSecret"]!;
        var until = DateTimeOffset.Parse((string)issued["previousSecretExpiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.Equal(until, DateTimeOffset.Parse((string)(await ViewAsync())["previousSecretExpiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(200, await TokenAsync(identity, "dept-tax", first, scope));
        Assert.Equal(200, await TokenAsync(identity, "dept-tax", second, scope));
        Assert.Equal(401, await TokenAsync(identity, "dept-tax", "pcs_not-a-secret", scope));

        // A day later the previous one stops.
        clock.Offset = TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1);
        Assert.Equal(401, await TokenAsync(identity, "dept-tax", first, scope));
        Assert.Equal(200, await TokenAsync(identity, "dept-tax", second, scope));
        Assert.Null((await ViewAsync())["previousSecretExpiresAt"]);
        clock.Offset = TimeSpan.Zero;

        // An hour's overlap, ended early by the administrator: only the newest works from then on.
        var (_, third) = await admin.PostAsync("/api/v1/clients/dept-tax/secret", new { overlapMinutes = 60 });
        Assert.Equal(200, await TokenAsync(identity, "dept-tax", second, scope));
        var (ended, view) = await admin.SendAsync(HttpMethod.Delete, "/api/v1/clients/dept-tax/previous-secret", new { });
        Assert.True(ended == 200, view.ToJsonString());
        Assert.Null(view["previousSecretExpiresAt"]);
        Assert.Equal(401, await TokenAsync(identity, "dept-tax", second, scope));
        Assert.Equal(200, await TokenAsync(identity, "dept-tax", (string)third["clientSecret"]!, scope));

        // No overlap: the previous one stops at once; a bad overlap names its field and rule.
        var (_, fourth) = await admin.PostAsync("/api/v1/clients/dept-tax/secret", new { overlapMinutes = 0 });
        Assert.Null(fourth["previousSecretExpiresAt"]);
        Assert.Equal(401, await TokenAsync(identity, "dept-tax", (string)third["clientSecret"]!, scope));
        Assert.Equal(200, await TokenAsync(identity, "dept-tax", (string)fourth["clientSecret"]!, scope));
        var (bad, problem) = await admin.PostAsync("/api/v1/clients/dept-tax/secret", new { overlapMinutes = -1 });
        Assert.Equal(400, bad);
        Assert.Equal([("overlapMinutes", "secret.overlap")], problem.Violations());

        var audit = await identity.Services.GetRequiredService<PopInfo.Identity.Audit.AuditLog>().ReadAsync(0, 200, CancellationToken.None);
        Assert.Equal(["ok", "ok", "ok", "refused"], audit.Where(r => r.Target == "dept-tax" && r.Action == "client.secret.rotate").Select(r => r.Outcome));
        Assert.Single(audit, r => r.Target == "dept-tax" && r.Action == "client.secret.end-overlap" && r.Outcome == "ok");
        Assert.DoesNotContain(audit, r => (r.Detail ?? "").Contains(first, StringComparison.Ordinal) || (r.Detail ?? "").Contains(second, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_services_previous_secret_from_its_settings_works_beside_the_new_one()
    {
        await using var identity = IdentityHost.OnSqlite(new Dictionary<string, string?>
        {
            ["PopInfo:Auth:Clients:collection:Secret"] = "the-new-collection-secret-0123456789",
            ["PopInfo:Auth:Clients:collection:PreviousSecret"] = TestIssuer.ServiceSecret,
        });
        _ = identity.Server;
        Assert.Equal(200, await TokenAsync(identity, "popinfo-collection", "the-new-collection-secret-0123456789", PlatformScopes.RegistryRead));
        Assert.Equal(200, await TokenAsync(identity, "popinfo-collection", TestIssuer.ServiceSecret, PlatformScopes.RegistryRead));
        Assert.Equal(401, await TokenAsync(identity, "popinfo-collection", "something-else-entirely-0123456789", PlatformScopes.RegistryRead));
        // Another service's client has no previous secret.
        Assert.Equal(401, await TokenAsync(identity, "popinfo-exchange", "the-new-collection-secret-0123456789", PlatformScopes.RegistryRead));
    }
}
