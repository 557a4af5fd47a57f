using Microsoft.Extensions.Options;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>A bad setting stops the service at start with a message that names it.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("PopInfo:Database:Provider", "PostgreSql", "PopInfo:Database:ConnectionString")]
    [InlineData("PopInfo:Bus:Transport", "RabbitMq", "PopInfo:Bus:RabbitMqUri")]
    public void A_missing_setting_stops_the_service_naming_it(string key, string value, string named)
    {
        using var host = new RegistryHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-settings-" + Guid.NewGuid().ToString("N")[..8]),
            [key] = value,
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PermitLimit", "0")]
    [InlineData("Window", "00:00:00.5")]
    public void A_rate_limit_outside_its_range_stops_the_service_naming_it(string key, string value)
    {
        using var host = new RegistryHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-settings-" + Guid.NewGuid().ToString("N")[..8]),
            [$"PopInfo:RateLimits:RegistryLookUp:{key}"] = value,
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("PopInfo:RateLimits:RegistryLookUp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_with_an_unknown_value_stops_the_service_naming_it()
    {
        using var host = new RegistryHost(new Dictionary<string, string?> { ["PopInfo:Database:Provider"] = "Oracle" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("PopInfo:Database:Provider", error.Message, StringComparison.Ordinal);
    }
}
