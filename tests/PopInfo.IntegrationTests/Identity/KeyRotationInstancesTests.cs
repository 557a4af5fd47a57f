using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Identity.Server;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>
/// Two instances of the provider on one PostgreSQL schema, as its runtime role: started at once they make one key of
/// each use between them, publish the same key set, and a rotation on one is taken up by the other.
/// </summary>
public sealed class KeyRotationInstancesTests
{
    private static async Task<string> KidAsync(IdentityHost identity)
    {
        var (status, body) = await identity.ClientCredentialsAsync("popinfo-collection", TestIssuer.ServiceSecret, "registry.read");
        Assert.True(status == 200, body.ToJsonString());
        return new JwtSecurityTokenHandler().ReadJwtToken((string)body["access_token"]!).Header.Kid;
    }

    private static async Task<string> PublishedAsync(IdentityHost identity) => string.Join(' ', await identity.PublishedKeyIdsAsync());

    [Fact]
    public async Task Instances_make_one_key_between_them_and_take_up_each_others_rotation()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var roles = await ServiceRoles.CreateAsync(database, "identity");
        try
        {
            await using var first = new IdentityHost(roles.Settings("identity"));
            await using var second = new IdentityHost(roles.Settings("identity"));
            await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

            var rows = await first.Services.GetRequiredService<SigningKeys>().ReadAsync(CancellationToken.None);
            Assert.Equal(["enc", "sig"], rows.Select(r => r.Use).Order());
            Assert.Equal(await KidAsync(first), await KidAsync(second));
            Assert.Equal(await PublishedAsync(first), await PublishedAsync(second));

            using var admin = first.CreateAdminClient();
            using (var rotated = await admin.PostAsJsonAsync("/api/v1/signing-keys/rotate", new { immediately = true }))
            {
                Assert.Equal(200, (int)rotated.StatusCode);
            }

            var kid = await KidAsync(first);
            // The other instance within its minute; here at once.
            await second.Services.GetRequiredService<SigningKeyRing>().RefreshAsync(CancellationToken.None);
            Assert.Equal(kid, await KidAsync(second));
            Assert.Equal(await PublishedAsync(first), await PublishedAsync(second));
        }
        finally
        {
            await roles.DisposeAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }
}
