using Microsoft.Extensions.Configuration;
using PopInfo.ServiceDefaults;

namespace PopInfo.UnitTests.Hosting;

public sealed class AllowedHostsDefaultTests
{
    [Theory]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("::1", "[::1]")]
    [InlineData("[fe80::1]", "[fe80::1]")]
    [InlineData("desk.example.cn", "desk.example.cn")]
    [InlineData("0.0.0.0", null)]
    [InlineData("::", null)]
    [InlineData("*", null)]
    [InlineData("", null)]
    public void A_bind_address_is_allowed_as_host_filtering_writes_it_and_a_wildcard_names_no_host(string address, string? expected) =>
        Assert.Equal(expected, AllowedHostsDefault.HostName(address));

    [Fact]
    public void Unset_it_allows_the_loopback_names_and_the_bind_address()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();

        AllowedHostsDefault.Apply(configuration, "127.0.0.9", "0.0.0.0");

        Assert.Equal("localhost;127.0.0.1;[::1];127.0.0.9", configuration["AllowedHosts"]);
    }

    [Fact]
    public void A_setting_of_the_operator_is_kept()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = "desk.example.cn" }).Build();

        AllowedHostsDefault.Apply(configuration, "127.0.0.9");

        Assert.Equal("desk.example.cn", configuration["AllowedHosts"]);
    }
}
