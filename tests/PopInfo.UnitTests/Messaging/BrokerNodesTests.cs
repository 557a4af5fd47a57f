using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.UnitTests.Messaging;

/// <summary>
/// The entries of <c>PopInfo:Bus:RabbitMqNodes</c> checked before they are used (<see cref="BrokerNodes.Problems"/>); the start
/// that refuses them: tests/PopInfo.UnitTests/Hosting/PlatformSettingsTests.
/// </summary>
public sealed class BrokerNodesTests
{
    [Theory]
    [InlineData("127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683")]
    [InlineData(" rabbit-0.rabbit:5672 , rabbit-1.rabbit ")]
    [InlineData("[::1]:5672,[fe80::1]")]
    [InlineData("node:65535")]
    [InlineData("")]
    [InlineData(null)]
    public void Host_and_port_entries_are_nodes(string? nodes) => Assert.Empty(BrokerNodes.Problems(nodes));

    [Theory]
    [InlineData("127.0.0.1:56x2")] // a port that is not a number: int.Parse's bare FormatException before
    [InlineData("127.0.0.1:")]
    [InlineData(":5672")] // no host
    [InlineData("node:0")]
    [InlineData("node:65536")]
    [InlineData("node:-1")]
    [InlineData("node:+5672")]
    [InlineData("::1")] // an IPv6 address without its brackets: its last colon is not a port's
    [InlineData("node one:5672")]
    public void An_entry_that_is_not_host_and_port_is_named(string entry)
    {
        var problem = Assert.Single(BrokerNodes.Problems($"127.0.0.1:5681, {entry} ,127.0.0.1:5683"));
        Assert.Contains($"'{entry}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_an_entry_refused_names_the_setting_and_the_entry()
    {
        var thrown = Assert.Throws<FormatException>(() => BrokerNodes.Parse("a:1,b:x"));
        Assert.Contains("PopInfo:Bus:RabbitMqNodes", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("'b:x'", thrown.Message, StringComparison.Ordinal);
        Assert.Equal([("[::1]", 5672), ("b", 2)], BrokerNodes.Parse("[::1], b:2"));
    }
}
