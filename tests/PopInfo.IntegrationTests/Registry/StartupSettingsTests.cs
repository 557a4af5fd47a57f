using Microsoft.Extensions.Options;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>A bad setting stops the service at start with a message that names it (the real program, <see cref="StartRefusal"/>).</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("PopInfo:Database:Provider", "PostgreSql", "PopInfo:Database:ConnectionString")]
    [InlineData("PopInfo:Bus:Transport", "RabbitMq", "PopInfo:Bus:RabbitMqUri")]
    public async Task A_missing_setting_stops_the_service_naming_it(string key, string value, string named)
    {
        var error = Assert.IsType<OptionsValidationException>(await RegistryHost.StartFailureAsync(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-settings-" + Guid.NewGuid().ToString("N")[..8]),
            [key] = value,
        }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PermitLimit", "0")]
    [InlineData("Window", "00:00:00.5")]
    public async Task A_rate_limit_outside_its_range_stops_the_service_naming_it(string key, string value)
    {
        var error = Assert.IsType<OptionsValidationException>(await RegistryHost.StartFailureAsync(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-settings-" + Guid.NewGuid().ToString("N")[..8]),
            [$"PopInfo:RateLimits:RegistryLookUp:{key}"] = value,
        }));

        Assert.Contains("PopInfo:RateLimits:RegistryLookUp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_with_an_unknown_value_stops_the_service_naming_it()
    {
        var error = Assert.IsType<InvalidOperationException>(await RegistryHost.StartFailureAsync(new Dictionary<string, string?> { ["PopInfo:Database:Provider"] = "Oracle" }));

        Assert.Contains("PopInfo:Database:Provider", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:31")]
    [InlineData("-00:00:01")]
    public async Task The_exchanges_department_cache_life_outside_0_to_30_seconds_stops_it_naming_the_setting(string life)
    {
        var error = Assert.IsType<OptionsValidationException>(await ExchangeHost.StartFailureAsync(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-settings-" + Guid.NewGuid().ToString("N")[..8]),
            ["PopInfo:Exchange:DepartmentCacheTtl"] = life,
        }));

        Assert.Contains("DepartmentCacheTtl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_starts_after_all_is_stopped_and_the_test_told()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RegistryHost.StartFailureAsync(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-settings-" + Guid.NewGuid().ToString("N")[..8]),
        }));

        Assert.Contains("started, though it should have refused to", error.Message, StringComparison.Ordinal);
    }
}
