using Microsoft.Extensions.Options;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>A key-rotation or pruning setting out of its range stops the provider at start, naming it (its real program, <see cref="StartRefusal"/>).</summary>
public sealed class IdentitySettingsTests
{
    [Theory]
    [InlineData("SigningKeyLifetime", "12:00:00")]
    [InlineData("SigningKeyLifetime", "400.00:00:00")]
    [InlineData("SigningKeyPublishAhead", "00:10:00")]
    [InlineData("TokenPruneAfter", "01:00:00")]
    public async Task A_setting_out_of_range_stops_the_provider_naming_it(string key, string value)
    {
        var error = Assert.IsType<OptionsValidationException>(await IdentityHost.StartFailureAsync(new Dictionary<string, string?> { ["PopInfo:Identity:" + key] = value }));

        Assert.Contains("PopInfo:Identity:" + key, error.Message, StringComparison.Ordinal);
    }
}
