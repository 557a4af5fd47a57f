using System.Net;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.UnitTests.Access;

public sealed class RateLimitTests
{
    [Fact]
    public void A_moment_falls_in_the_window_counted_from_the_epoch_and_Retry_After_is_the_rest_of_it()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_123).AddMilliseconds(400);
        var window = FixedWindow.At(now, TimeSpan.FromMinutes(15));
        // 1,800,000,123.4 s is 123.4 s into its window (1,800,000,000 = 2,000,000 × 900): 776.6 s left, said as 777.
        Assert.Equal(1_800_000_000, window.Start);
        Assert.Equal(1_800_000_900, window.End);
        Assert.Equal(777, window.SecondsLeft(now));
        Assert.Equal(1, window.SecondsLeft(DateTimeOffset.FromUnixTimeSeconds(window.End)));
    }

    [Fact]
    public void Two_moments_of_one_window_share_it_and_the_next_second_after_its_end_does_not()
    {
        var length = TimeSpan.FromMinutes(1);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 / 60 * 60);
        Assert.Equal(FixedWindow.At(start, length), FixedWindow.At(start.AddSeconds(59.999), length));
        Assert.NotEqual(FixedWindow.At(start, length), FixedWindow.At(start.AddSeconds(60), length));
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Addresses_are_counted_as_themselves_and_IPv6_by_its_64_bit_network(string address, string key) =>
        Assert.Equal(key, RateLimitPolicy.AddressKey(IPAddress.Parse(address)));

    [Fact]
    public void A_request_without_an_address_is_counted_as_unknown() => Assert.Equal("unknown", RateLimitPolicy.AddressKey(null));

    [Theory]
    [InlineData(10, "00:15:00", true)]
    [InlineData(1, "00:00:01", true)]
    [InlineData(1, "1.00:00:00", true)]
    [InlineData(0, "00:15:00", false)]
    [InlineData(10, "00:00:00", false)]
    [InlineData(10, "00:00:01.5", false)]
    [InlineData(10, "1.00:00:01", false)]
    public void A_setting_is_a_permit_limit_of_at_least_one_in_a_window_of_whole_seconds_up_to_a_day(int permitLimit, string window, bool valid) =>
        Assert.Equal(valid, new RateLimitSetting { PermitLimit = permitLimit, Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) }.IsValid);

    [Fact]
    public void The_sharing_services_look_ups_get_a_limit_and_setting_of_their_own()
    {
        var sharing = RateLimitPolicy.LookUp("sharing", 600, TimeSpan.FromMinutes(1));
        Assert.Equal("sharing.look-up", sharing.Name);
        Assert.Equal("SharingLookUp", sharing.Setting);
        Assert.NotNull(sharing.Key);
    }

    [Fact]
    public void The_problem_names_the_rule_and_the_limit_and_says_when()
    {
        var problem = new RateLimitDecision("sign-in.address", false, 42).ToProblem();
        Assert.Equal(429, problem.Status);
        Assert.Equal(ProblemTypes.RateLimited, problem.Type);
        Assert.Equal("rate.limit", problem.Extensions["rule"]);
        Assert.Equal("sign-in.address", problem.Extensions["limit"]);
        Assert.Equal(42, problem.Extensions["retryAfterSeconds"]);
    }
}
