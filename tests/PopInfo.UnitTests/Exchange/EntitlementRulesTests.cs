using Microsoft.Extensions.Options;
using PopInfo.Domain.Regions;
using PopInfo.Exchange;
using PopInfo.Exchange.Departments;

namespace PopInfo.UnitTests.Exchange;

public sealed class EntitlementRulesTests
{
    private readonly EntitlementRules rules = new(RegionCatalogue.Wuxi, Options.Create(new ExchangeOptions()));

    [Theory]
    [InlineData("https://bureau.example.cn/hook", null)]
    [InlineData("http://127.0.0.1:8080/hook", null)]
    [InlineData("http://[::1]:8080/hook", null)]
    [InlineData("http://bureau.example.cn/hook", "webhook.https")]
    [InlineData("ftp://bureau.example.cn/hook", "webhook.url")]
    [InlineData("https://user:secret@bureau.example.cn/hook", "webhook.url")]
    [InlineData("/relative", "webhook.url")]
    public void A_webhook_must_be_https_except_to_loopback(string url, string? rule)
    {
        var violations = rules.Check(new CreateDepartmentRequest("police", "公安局", "ops", url, null));
        Assert.Equal(rule is null ? [] : [("webhookUrl", rule)], violations.Select(v => (v.Field, v.Rule)));
    }

    [Theory]
    [InlineData("police", true)]
    [InlineData("civil-affairs", true)]
    [InlineData("p", false)]
    [InlineData("Police", false)]
    [InlineData("1police", false)]
    [InlineData("police bureau", false)]
    [InlineData("a-very-long-department-code-that-is-too-long", false)]
    public void A_department_code_is_short_lower_case_and_safe_in_queue_names(string code, bool valid) =>
        Assert.Equal(valid, rules.Check(new CreateDepartmentRequest(code, "n", "c", null, null)).All(v => v.Field != "code"));

    [Fact]
    public void A_subscription_names_every_bad_value_by_its_index()
    {
        var violations = rules.Check(new SubscriptionRequest(["born", "born", "x"], [], ["idNumber", "personId"], " short ", null), update: true);
        Assert.Equal(
            [("expectedVersion", "required"), ("changeTypes[2]", "subscription.change-type"), ("changeTypes", "unique"), ("regions", "required"),
             ("fields[1]", "subscription.field"), ("purpose", "subscription.purpose")],
            violations.Select(v => (v.Field, v.Rule)));
    }
}
