using PopInfo.ServiceDefaults.Webhooks;

namespace PopInfo.UnitTests.Exchange;

public sealed class WebhookSignatureTests
{
    // The test vector of the Standard Webhooks specification (standard-webhooks/standard-webhooks, its libraries' tests).
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Body = "{\"test\": 2432232314}";

    [Fact]
    public void Signs_as_the_Standard_Webhooks_specification_does() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Secret, Id, Timestamp, Body));

    [Fact]
    public void A_receiver_accepts_a_fresh_signed_request_and_any_of_several_signatures()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(Timestamp + 60);
        var signature = WebhookSignature.Sign(Secret, Id, Timestamp, Body);
        Assert.True(WebhookSignature.Verify(Secret, Id, Timestamp.ToString(), Body, signature, now, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(Secret, Id, Timestamp.ToString(), Body, "v1,AAAA " + signature, now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("{\"test\": 2432232315}", Id, 0)]    // the body was changed
    [InlineData(Body, "msg_other", 0)]                // the id was changed (a replay under another id)
    [InlineData(Body, Id, 301)]                       // too old: replayed later
    [InlineData(Body, Id, -301)]                      // from the future
    public void A_receiver_refuses_a_changed_or_stale_request(string body, string id, int secondsLate)
    {
        var signature = WebhookSignature.Sign(Secret, Id, Timestamp, Body);
        var now = DateTimeOffset.FromUnixTimeSeconds(Timestamp + secondsLate);
        Assert.False(WebhookSignature.Verify(Secret, id, Timestamp.ToString(), body, signature, now, TimeSpan.FromMinutes(5)));
    }
}
