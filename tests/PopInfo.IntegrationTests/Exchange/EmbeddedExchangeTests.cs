using System.Text.Json.Nodes;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>The exchange in the embedded mode (SQLite, in-memory bus): no broker accounts, but webhooks and the feed.</summary>
public sealed class EmbeddedExchangeTests
{
    [Fact]
    public async Task A_change_reaches_a_departments_webhook_and_feed_without_a_broker()
    {
        await using var platform = new EmbeddedPlatform();
        using var admin = platform.ClientOf(5103);
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        using var registry = platform.ClientOf(5101);
        await using var endpoint = await WebhookReceiver.StartAsync();

        var (status, created) = await admin.PostAsync("/api/v1/departments", new { code = "health", name = "卫健委", contact = "0510-1", webhookUrl = endpoint.Url });
        Assert.True(status == 201, created.ToJsonString());
        Assert.Null(created["credentials"]!["amqp"]);
        Assert.Null(created["department"]!["amqpUser"]);
        endpoint.Secret = (string)created["credentials"]!["webhookSecret"]!;
        var (subscribed, subscription) = await admin.PostAsync("/api/v1/departments/health/subscriptions",
            new { changeTypes = new[] { "registered" }, regions = new[] { People.Community }, fields = new[] { "sex", "birthDate" }, purpose = "Maternal and child health records." });
        Assert.True(subscribed == 201, subscription.ToJsonString());

        var (registered, person) = await registry.PostAsync("/api/v1/persons", People.Resident());
        Assert.Equal(201, registered);

        await Eventually.TrueAsync(() => Task.FromResult(!endpoint.Accepted.IsEmpty), TimeSpan.FromSeconds(30), "the webhook post");
        var posted = JsonNode.Parse(Assert.Single(endpoint.Accepted).Body)!;
        Assert.Equal((string)person["personId"]!, (string)posted["subject"]!);
        Assert.Equal(["personId", "sex", "birthDate"], posted["data"]!["person"]!.AsObject().Select(p => p.Key));

        using var department = platform.ClientOf(5103);
        department.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)created["credentials"]!["apiKey"]!);
        var (feedStatus, feed) = await department.GetJsonAsync("/api/v1/feed");
        Assert.Equal(200, feedStatus);
        Assert.Equal(posted.ToJsonString(), Assert.Single(feed["events"]!.AsArray())!.ToJsonString());

        // Marked delivered once the POST's answer is back (a moment after the receiver has it).
        await Eventually.TrueAsync(async () => (long)(await admin.GetJsonAsync("/api/v1/departments/health/delivery-status")).Body["webhook"]!["delivered"]! == 1,
            TimeSpan.FromSeconds(30), "the post marked delivered");
        var (_, delivery) = await admin.GetJsonAsync("/api/v1/departments/health/delivery-status");
        Assert.Null(delivery["amqp"]);
        Assert.Equal(1, (long)delivery["webhook"]!["delivered"]!);
        Assert.Equal(0, (long)delivery["backlog"]!);

        // An auditor's question on SQLite: the one department, its webhook delivered it, its one feed read returned it.
        using var auditor = platform.ClientOf(5103);
        auditor.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.ExchangeAudit], clientId: "popinfo-sharing"));
        var (asked, answer) = await auditor.PostAsync("/api/v1/persons/deliveries", new { personId = (string)person["personId"]!, onBehalfOf = "audit-li" });
        Assert.Equal(200, asked);
        var only = Assert.Single(answer["deliveries"]!.AsArray())!;
        Assert.Equal(("health", 1L, (long)person["sequence"]!, "Maternal and child health records.", "delivered", 1),
            ((string)only["department"]!, (long)only["sequence"]!, (long)only["registrySequence"]!, (string)only["purpose"]!,
             (string)only["webhook"]!["state"]!, (int)only["webhook"]!["attempts"]!));
        Assert.Null(only["queue"]);
        Assert.Equal("department:health", (string)Assert.Single(only["feedReads"]!.AsArray())!["actor"]!);
    }
}
