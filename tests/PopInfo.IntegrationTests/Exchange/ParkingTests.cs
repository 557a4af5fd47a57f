using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Exchange;
using PopInfo.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// A department's AMQP push that cannot be processed is parked in its own parking queue with the reason in its
/// headers (docs/exchange-inbound.md, "Parked messages"): visible to the department (over HTTP, and on the broker with
/// its own user) and to the administrator, never to another department; a good push after it is still taken.
/// </summary>
public sealed class ParkingTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static string Yesterday => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_malformed_push_is_parked_with_its_reason_seen_by_its_department_never_by_another_and_a_good_push_still_goes_through()
    {
        var community = ExchangeFixture.FreshCommunity();
        var police = await fixture.CreateDepartmentAsync("police", inboundKinds: ["move-out"]);
        var health = await fixture.CreateDepartmentAsync("health", inboundKinds: ["death"]);
        var resident = await fixture.RegisterResidentAsync(community);

        var asPolice = new ConnectionFactory { Uri = fixture.DepartmentBrokerUri(police), AutomaticRecoveryEnabled = false };
        await using (var connection = await asPolice.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            async Task PublishAsync(string id, string body) => await channel.BasicPublishAsync(police.InboundExchange, "", mandatory: false,
                new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = id }, Encoding.UTF8.GetBytes(body));

            await PublishAsync("m-1", "not json");
            await PublishAsync("m-2", """{"records": 5}""");
            // A record whose id cannot be stored (a control character in it): it cannot be read back, so the message is parked.
            await PublishAsync("m-3", $$"""{"records": [{"recordId": "PS-\u0007-1", "kind": "move-out", "person": {"idNumber": "{{resident.IdNumber}}"}, "moveDate": "{{Yesterday}}", "destination": "南京市"}]}""");
            await PublishAsync("m-4", $$"""{"recordId": "PS-PARK-OK", "kind": "move-out", "person": {"idNumber": "{{resident.IdNumber}}"}, "moveDate": "{{Yesterday}}", "destination": "上海市"}""");
        }

        using var policeClient = fixture.Exchange.CreateClientWithKey(police.ApiKey);
        await Eventually.TrueAsync(async () =>
        {
            var (status, record) = await policeClient.GetJsonAsync("/api/v1/inbound/PS-PARK-OK");
            return status == 200 && (string?)record["state"] == "applied";
        }, TimeSpan.FromSeconds(30), "the good push after the bad ones to be applied");

        var (viewStatus, view) = await policeClient.GetJsonAsync($"/api/v1/departments/{police.Code}/parked");
        Assert.True(viewStatus == 200, view.ToJsonString());
        Assert.Equal(DepartmentTopology.ParkingQueue(police.Code), (string?)view["queue"]);
        Assert.Equal(3, (long)view["count"]!);
        var messages = view["messages"]!.AsArray();
        Assert.Equal(["m-1", "m-2", "m-3"], messages.Select(m => (string?)m!["messageId"]));
        Assert.Equal(["json.format", "json.format", "text.control-character"], messages.Select(m => (string?)m!["rule"]));
        Assert.Equal([null, "records", "records[0].recordId"], messages.Select(m => (string?)m!["field"]));
        Assert.Equal((string?)messages[0]!["parkedAt"], (string?)view["oldest"]);
        Assert.Equal(2, (int)view["reasons"]!.AsArray().Single(r => (string?)r!["rule"] == "json.format")!["count"]!);
        Assert.Equal(1, (int)view["reasons"]!.AsArray().Single(r => (string?)r!["rule"] == "text.control-character")!["count"]!);
        Assert.DoesNotContain("not json", view.ToJsonString(), StringComparison.Ordinal);

        // Reading the view takes nothing away; the administrator sees the same.
        var (_, again) = await fixture.Admin.GetJsonAsync($"/api/v1/departments/{police.Code}/parked");
        Assert.Equal(3, (long)again["count"]!);
        Assert.Equal(["m-1", "m-2", "m-3"], again["messages"]!.AsArray().Select(m => (string?)m!["messageId"]));

        // Another department sees neither the view nor the queue; its own is empty.
        using var healthClient = fixture.Exchange.CreateClientWithKey(health.ApiKey);
        Assert.Equal(403, (await healthClient.GetJsonAsync($"/api/v1/departments/{police.Code}/parked")).Status);
        var (ownStatus, own) = await healthClient.GetJsonAsync($"/api/v1/departments/{health.Code}/parked");
        Assert.Equal(200, ownStatus);
        Assert.Equal(0, (long)own["count"]!);
        var asHealth = new ConnectionFactory { Uri = fixture.DepartmentBrokerUri(health), AutomaticRecoveryEnabled = false };
        await using (var connection = await asHealth.CreateConnectionAsync())
        {
            await using var channel = await connection.CreateChannelAsync();
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicGetAsync(DepartmentTopology.ParkingQueue(police.Code), autoAck: false));
            Assert.Equal(403, refused.ShutdownReason!.ReplyCode);
        }

        // The department reads its parked message on the broker with its own user, body as sent and the reason in the headers.
        await using (var connection = await asPolice.CreateConnectionAsync())
        {
            await using var channel = await connection.CreateChannelAsync();
            var first = await channel.BasicGetAsync(DepartmentTopology.ParkingQueue(police.Code), autoAck: false);
            Assert.NotNull(first);
            Assert.Equal("not json", Encoding.UTF8.GetString(first.Body.Span));
            Assert.Equal("json.format", Encoding.UTF8.GetString((byte[])first.BasicProperties.Headers![InboundParking.RuleHeader]!));
            Assert.Equal(police.InboundExchange, Encoding.UTF8.GetString((byte[])first.BasicProperties.Headers![InboundParking.ExchangeHeader]!));
            Assert.True(first.BasicProperties.Persistent);
        }
    }

    [Fact]
    public async Task A_push_left_by_a_department_since_suspended_is_parked_in_its_queue_and_those_of_no_department_in_the_platforms()
    {
        var patrol = await fixture.CreateDepartmentAsync("patrol", inboundKinds: ["move-out"]);
        var (_, department) = await fixture.Admin.GetJsonAsync($"/api/v1/departments/{patrol.Code}");
        var (suspended, body) = await fixture.Admin.SendAsync(HttpMethod.Patch, $"/api/v1/departments/{patrol.Code}", new { expectedVersion = (int)department["version"]!, status = "suspended" });
        Assert.True(suspended == 200, body.ToJsonString());

        // The platform's own user stands in for what was queued before the suspension, and for a message put on the
        // inbound queue through no department's exchange.
        var platform = new ConnectionFactory { Uri = fixture.Desk.VirtualHost, AutomaticRecoveryEnabled = false };
        await using (var connection = await platform.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.BasicPublishAsync(patrol.InboundExchange, "", mandatory: false, new BasicProperties { Persistent = true, MessageId = "late" },
                Encoding.UTF8.GetBytes("""{"recordId": "PT-1", "kind": "move-out"}"""));
            await channel.BasicPublishAsync("", "popinfo.exchange.inbound", mandatory: false, new BasicProperties { Persistent = true, MessageId = "stray" },
                Encoding.UTF8.GetBytes("""{"records": []}"""));
            // An exchange named like a department's, of a department that does not exist.
            var ghost = DepartmentTopology.InboundExchange("ghost-" + Guid.NewGuid().ToString("N")[..6]);
            await channel.ExchangeDeclareAsync(ghost, ExchangeType.Fanout, durable: false, autoDelete: true);
            await channel.QueueBindAsync("popinfo.exchange.inbound", ghost, "");
            await channel.BasicPublishAsync(ghost, "", mandatory: false, new BasicProperties { Persistent = true, MessageId = "ghost" },
                Encoding.UTF8.GetBytes("""{"records": []}"""));
        }

        JsonObject view = [];
        await Eventually.TrueAsync(async () =>
        {
            (_, view) = await fixture.Admin.GetJsonAsync($"/api/v1/departments/{patrol.Code}/parked");
            return (long?)view["count"] == 1;
        }, TimeSpan.FromSeconds(30), "the suspended department's push to be parked", () => Task.FromResult(view.ToJsonString()));
        Assert.Equal("department.active", (string?)view["messages"]![0]!["rule"]);
        Assert.Equal("late", (string?)view["messages"]![0]!["messageId"]);

        JsonObject stray = [];
        await Eventually.TrueAsync(async () =>
        {
            (_, stray) = await fixture.Admin.GetJsonAsync("/api/v1/parked");
            return (long?)stray["count"] == 2;
        }, TimeSpan.FromSeconds(30), "the messages of no department to be parked", () => Task.FromResult(stray.ToJsonString()));
        Assert.Equal(DepartmentTopology.PlatformParkingQueue, (string?)stray["queue"]);
        Assert.Equal(["stray", "ghost"], stray["messages"]!.AsArray().Select(m => (string?)m!["messageId"]));
        Assert.All(stray["messages"]!.AsArray(), m => Assert.Equal(InboundParking.DepartmentUnknownRule, (string?)m!["rule"]));

        // A department may not look at the platform's queue.
        var other = await fixture.CreateDepartmentAsync("watch");
        using var client = fixture.Exchange.CreateClientWithKey(other.ApiKey);
        Assert.Equal(403, (await client.GetJsonAsync("/api/v1/parked")).Status);
    }
}
