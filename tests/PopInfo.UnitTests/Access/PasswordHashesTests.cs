using Microsoft.AspNetCore.Identity;
using PopInfo.Domain.Access;

namespace PopInfo.UnitTests.Access;

public sealed class PasswordHashesTests
{
    private sealed class Someone;

    [Fact]
    public void A_hash_of_ASP_NET_Core_Identitys_current_format_is_taken()
    {
        var hash = new PasswordHasher<Someone>().HashPassword(new Someone(), "a-password-1");
        Assert.True(PasswordHashes.IsPbkdf2V3(hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("$2b$12$abcdefghijklmnopqrstuuvwxyz0123456789ABCDEFGHIJKLMNOPQ")]
    public void Anything_else_is_refused(string? hash) => Assert.False(PasswordHashes.IsPbkdf2V3(hash));

    [Fact]
    public void The_old_version_2_format_and_a_cut_hash_are_refused()
    {
        var v2 = new PasswordHasher<Someone>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2,
        })).HashPassword(new Someone(), "a-password-1");
        var v3 = Convert.FromBase64String(new PasswordHasher<Someone>().HashPassword(new Someone(), "a-password-1"));

        Assert.False(PasswordHashes.IsPbkdf2V3(v2));
        Assert.False(PasswordHashes.IsPbkdf2V3(Convert.ToBase64String(v3[..40])));
    }
}
