using Microsoft.Extensions.Options;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>A key-rotation or pruning setting out of its range stops the provider at start, naming it.</summary>
public sealed class IdentitySettingsTests
{
    [Theory]
    [InlineData("SigningKeyLifetime", "12:00:00")]
    [InlineData("SigningKeyLifetime", "400.00:00:00")]
    [InlineData("SigningKeyPublishAhead", "00:10:00")]
    [InlineData("TokenPruneAfter", "01:00:00")]
    public void A_setting_out_of_range_stops_the_provider_naming_it(string key, string value)
    {
        using var host = IdentityHost.OnSqlite(new Dictionary<string, string?> { ["PopInfo:Identity:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("PopInfo:Identity:" + key, error.Message, StringComparison.Ordinal);
    }
}
