using System.Net;
using System.Text.Json.Nodes;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>Changes of the register reach each department's queue, webhook and feed: only its fields, in order, never lost.</summary>
public sealed class DeliveryTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_department_receives_only_the_fields_it_is_entitled_to()
    {
        var community = ExchangeFixture.FreshCommunity();
        var street = RegionCatalogue.Wuxi.Communities.First(c => c.Code == community).ParentCode!;
        var police = await fixture.CreateDepartmentAsync("police");
        var health = await fixture.CreateDepartmentAsync("health");
        var education = await fixture.CreateDepartmentAsync("education");
        await fixture.SubscribeAsync(police.Code, ["registered"], [community], ["idNumber", "name", "sex", "birthDate", "residenceRegionCode"]);
        var healthSubscription = await fixture.SubscribeAsync(health.Code, ["registered", "born"], [street], ["sex", "birthDate"]);
        await fixture.SubscribeAsync(education.Code, ["died"], [community], ["idNumber"]);

        var person = await fixture.RegisterResidentAsync(community);

        var policeEvents = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(police), police.Queue, 1, Wait);
        var healthEvents = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(health), health.Queue, 1, Wait);
        Assert.Single(policeEvents);
        Assert.Single(healthEvents);

        var policeEvent = policeEvents[0].Json;
        Assert.Equal(["personId", "idNumber", "name", "sex", "birthDate", "residenceRegionCode"], PersonKeys(policeEvent));
        Assert.Equal(person.IdNumber, (string)policeEvent["data"]!["person"]!["idNumber"]!);

        var healthEvent = healthEvents[0];
        Assert.Equal(["personId", "sex", "birthDate"], PersonKeys(healthEvent.Json));
        Assert.DoesNotContain(person.IdNumber, healthEvent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Name, healthEvent.Body, StringComparison.Ordinal);
        Assert.All(healthEvent.Json["data"]!["changedFields"]!.AsArray(), f => Assert.Contains((string)f!, new[] { "sex", "birthDate" }));

        // The CloudEvents envelope, structured mode.
        var e = healthEvent.Json;
        Assert.Equal("application/cloudevents+json", healthEvent.ContentType);
        Assert.True(healthEvent.Persistent);
        Assert.Equal("1.0", (string)e["specversion"]!);
        Assert.Equal("cn.popinfo.person.registered.v1", (string)e["type"]!);
        Assert.Equal("cn.popinfo.person.registered.v1", healthEvent.Type);
        Assert.Equal(person.PersonId.ToString(), (string)e["subject"]!);
        Assert.Equal($"/popinfo/departments/{health.Code}", (string)e["source"]!);
        Assert.Equal($"{health.Code}-1", (string)e["id"]!);
        Assert.Equal($"{health.Code}-1", healthEvent.MessageId);
        Assert.Equal("00000000000000000001", (string)e["sequence"]!);
        Assert.Equal(person.Sequence, (long)e["registrysequence"]!);
        Assert.Equal((string)healthSubscription["id"]!, (string)e["subscriptionid"]!);
        Assert.Equal("registered", (string)e["data"]!["changeType"]!);

        // The department subscribed to deaths only got nothing.
        Assert.Equal(0, (long)(await fixture.StatusAsync(education.Code))["lastSequence"]!);
    }

    [Fact]
    public async Task A_department_cannot_read_another_departments_queue_nor_write_to_its_inbound_exchange()
    {
        var a = await fixture.CreateDepartmentAsync("civil");
        var b = await fixture.CreateDepartmentAsync("statistics");

        var asA = new ConnectionFactory { Uri = fixture.DepartmentBrokerUri(a), AutomaticRecoveryEnabled = false };
        await using (var connection = await asA.CreateConnectionAsync())
        {
            await using var channel = await connection.CreateChannelAsync();
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicGetAsync(b.Queue, autoAck: false));
            Assert.Equal(403, refused.ShutdownReason!.ReplyCode);
        }

        await using (var connection = await asA.CreateConnectionAsync())
        {
            await using var channel = await connection.CreateChannelAsync();
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
                channel.QueueDeclareAsync("popinfo.dept.mine", durable: true, exclusive: false, autoDelete: false));
            Assert.Equal(403, refused.ShutdownReason!.ReplyCode);
        }

        await using (var connection = await asA.CreateConnectionAsync())
        {
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await Assert.ThrowsAnyAsync<Exception>(async () =>
                await channel.BasicPublishAsync(b.InboundExchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray()));
        }

        // Its own queue it may read.
        Assert.Empty(await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(a), a.Queue, 1, TimeSpan.FromMilliseconds(200)));

        // A rotated password: the old one no longer opens a connection, the new one does.
        var (status, rotated) = await fixture.Admin.PostAsync($"/api/v1/departments/{a.Code}/credentials/amqp-password", new { });
        Assert.Equal(200, status);
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await asA.CreateConnectionAsync()).CloseAsync());
        var newPassword = (string)rotated["amqp"]!["password"]!;
        Assert.Empty(await DepartmentQueue.TakeAsync(DepartmentQueue.As(fixture.Desk.VirtualHost, a.AmqpUser, newPassword), a.Queue, 1, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Webhook_retries_dead_letters_holds_the_persons_later_events_and_redrive_delivers_them_in_order()
    {
        var community = ExchangeFixture.FreshCommunity();
        await using var receiver = await WebhookReceiver.StartAsync();
        var bureau = await fixture.CreateDepartmentAsync("hr", receiver.Url);
        receiver.Secret = bureau.WebhookSecret;
        await fixture.SubscribeAsync(bureau.Code, ["registered", "corrected"], [community], ["occupation", "sex"]);

        // Two failures, then success: delivered by the retries.
        receiver.FailNext(2);
        var first = await fixture.RegisterResidentAsync(community);
        await Eventually.TrueAsync(() => Task.FromResult(!receiver.Accepted.IsEmpty), Wait, "the first event");
        Assert.True(receiver.Attempts >= 3);

        // The receiver refuses everything about the first person: their next event dies, the one after waits behind it,
        // and a second person's events still go through.
        receiver.FailFor = body => body.Contains(first.PersonId.ToString(), StringComparison.Ordinal) ? HttpStatusCode.ServiceUnavailable : null;
        await fixture.CorrectOccupationAsync(first.PersonId, "教师");
        await fixture.CorrectOccupationAsync(first.PersonId, "校长");
        var second = await fixture.RegisterResidentAsync(community);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 2), Wait, "the second person's event");
        await Eventually.TrueAsync(async () => (await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/dead-letters")).Count == 2, Wait, "two dead letters");
        var parked = await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/dead-letters");
        Assert.Equal(["dead", "held"], parked.Select(p => (string)p!["state"]!).ToArray());
        Assert.Equal(4, (int)parked[0]!["attempts"]!);
        var status = await fixture.StatusAsync(bureau.Code);
        Assert.Equal(1, (long)status["webhook"]!["deadLetters"]!);
        Assert.Equal(1, (long)status["webhook"]!["held"]!);

        // The bureau is mended; the administrator redrives the dead letter by its sequence, and the event held behind it
        // (the same person's) goes with it; both arrive, in order.
        receiver.FailFor = null;
        var (redriveStatus, redrive) = await fixture.Admin.PostAsync($"/api/v1/departments/{bureau.Code}/dead-letters/redrive",
            new { sequences = new[] { (long)parked[0]!["sequence"]! } });
        Assert.Equal(200, redriveStatus);
        Assert.Equal(2, (int)redrive["redriven"]!);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 4), Wait, "the redriven events");
        var firstPersonVersions = receiver.Accepted.Select(r => JsonNode.Parse(r.Body)!)
            .Where(e => (string)e["subject"]! == first.PersonId.ToString()).Select(e => (int)e["data"]!["version"]!).ToArray();
        Assert.Equal([1, 2, 3], firstPersonVersions);
        Assert.Empty(await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/dead-letters"));
        Assert.All(receiver.Accepted, r => Assert.True(r.SignatureValid));
        Assert.All(receiver.Accepted, r => Assert.Equal("application/cloudevents+json; charset=utf-8", r.ContentType));
        Assert.NotEqual(Guid.Empty, second.PersonId);

        // A refusal that retrying cannot mend (400) is dead at once, after one attempt.
        receiver.FailFor = _ => HttpStatusCode.BadRequest;
        var third = await fixture.RegisterResidentAsync(community);
        await Eventually.TrueAsync(async () => (await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/dead-letters")).Count == 1, Wait, "a dead letter");
        var dead = (await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/dead-letters"))[0]!;
        Assert.Equal(1, (int)dead["attempts"]!);
        Assert.Equal(third.PersonId.ToString(), (string)dead["personId"]!);
    }

    [Fact]
    public async Task The_replay_feed_agrees_with_live_delivery()
    {
        var community = ExchangeFixture.FreshCommunity();
        await using var receiver = await WebhookReceiver.StartAsync();
        var bureau = await fixture.CreateDepartmentAsync("tax", receiver.Url);
        receiver.Secret = bureau.WebhookSecret;
        await fixture.SubscribeAsync(bureau.Code, ["registered", "corrected"], [community], ["name", "occupation", "birthDate"]);
        for (var i = 0; i < 4; i++)
        {
            var person = await fixture.RegisterResidentAsync(community);
            await fixture.CorrectOccupationAsync(person.PersonId, $"职业{i}");
        }

        var queued = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(bureau), bureau.Queue, 8, Wait);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 8), Wait, "eight webhook posts");
        var feed = await fixture.FeedAsync(bureau);

        Assert.Equal(8, queued.Count);
        Assert.Equal(queued.Select(q => Canonical(q.Body)), feed.Select(f => Canonical(f!.ToJsonString())));
        Assert.Equal(queued.Select(q => q.Body), receiver.Accepted.Select(r => r.Body));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i.ToString("D20")), queued.Select(q => (string)q.Json["sequence"]!));

        // From the middle: exactly the rest.
        var rest = await fixture.FeedAsync(bureau, after: 5);
        Assert.Equal(queued.Skip(5).Select(q => Canonical(q.Body)), rest.Select(f => Canonical(f!.ToJsonString())));

        // Each read is on the audit trail, with what was read (sequences, never content).
        var audit = await fixture.Admin.GetArrayAsync($"/api/v1/departments/{bureau.Code}/audit?limit=1000");
        Assert.Equal(2, audit.Count(a => (string)a!["action"]! == "feed.read"));
    }

    [Fact]
    public async Task A_move_out_reaches_the_department_of_the_region_the_person_left()
    {
        var community = ExchangeFixture.FreshCommunity();
        var bureau = await fixture.CreateDepartmentAsync("district");
        await fixture.SubscribeAsync(bureau.Code, ["moved-out"], [community], ["status", "destination", "residenceRegionCode"]);
        var person = await fixture.RegisterResidentAsync(community);
        var (status, moved) = await fixture.Registry.PostAsync($"/api/v1/persons/{person.PersonId}/move-out",
            new { commandId = Guid.NewGuid(), expectedVersion = 1, moveDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), destination = "上海市" });
        Assert.True(status == 200, moved.ToJsonString());

        var events = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(bureau), bureau.Queue, 1, Wait);
        var e = Assert.Single(events).Json;
        Assert.Equal("cn.popinfo.person.moved-out.v1", (string)e["type"]!);
        Assert.Equal("moved-away", (string)e["data"]!["person"]!["status"]!);
        Assert.Null(e["data"]!["person"]!["residenceRegionCode"]);
    }

    [Fact]
    public async Task Each_department_a_change_reaches_moves_its_own_cursor_and_no_other()
    {
        // The projection moves every touched department's cursor in one statement: each must get its own number.
        var (shared, other) = (ExchangeFixture.FreshCommunity(), ExchangeFixture.FreshCommunity());
        var first = await fixture.CreateDepartmentAsync("cursor-a");
        var second = await fixture.CreateDepartmentAsync("cursor-b");
        var elsewhere = await fixture.CreateDepartmentAsync("cursor-c");
        await fixture.SubscribeAsync(first.Code, ["registered"], [shared], ["sex"]);
        await fixture.SubscribeAsync(second.Code, ["registered"], [shared, other], ["sex"]);
        await fixture.SubscribeAsync(elsewhere.Code, ["registered"], [other], ["sex"]);

        await fixture.RegisterResidentAsync(shared);
        await fixture.RegisterResidentAsync(shared);
        await fixture.RegisterResidentAsync(other);
        // The changes are projected in order: once the last has reached its departments, the first two have reached theirs.
        await fixture.WaitForProjectedAsync(elsewhere.Code, 1);

        Assert.Equal(2, (long)(await fixture.StatusAsync(first.Code))["lastSequence"]!);
        Assert.Equal(3, (long)(await fixture.StatusAsync(second.Code))["lastSequence"]!);
        Assert.Equal(1, (long)(await fixture.StatusAsync(elsewhere.Code))["lastSequence"]!);
        Assert.Equal(["00000000000000000001", "00000000000000000002", "00000000000000000003"],
            (await fixture.FeedAsync(second)).Select(e => (string)e!["sequence"]!).ToArray());
    }

    [Fact]
    public async Task Delivery_status_shows_the_backlog_until_the_department_consumes_it()
    {
        var community = ExchangeFixture.FreshCommunity();
        var bureau = await fixture.CreateDepartmentAsync("veterans");
        await fixture.SubscribeAsync(bureau.Code, ["registered"], [community], ["sex"]);
        for (var i = 0; i < 3; i++)
        {
            await fixture.RegisterResidentAsync(community);
        }

        await Eventually.TrueAsync(async () => (long?)(await fixture.StatusAsync(bureau.Code))["amqp"]!["published"] == 3, Wait, "three published");
        var waiting = await fixture.StatusAsync(bureau.Code);
        Assert.Equal(3, (long)waiting["lastSequence"]!);
        Assert.Equal(3, (long)waiting["amqp"]!["inQueue"]!);
        Assert.Equal(0, (long)waiting["amqp"]!["acknowledged"]!);
        Assert.Equal(3, (long)waiting["backlog"]!);
        Assert.True((double)waiting["lagSeconds"]! > 0);

        Assert.Equal(3, (await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(bureau), bureau.Queue, 3, Wait)).Count);
        // The broker's management statistics are refreshed every few seconds.
        await Eventually.TrueAsync(async () => (long?)(await fixture.StatusAsync(bureau.Code))["amqp"]!["acknowledged"] == 3, Wait, "three acknowledged");
        var done = await fixture.StatusAsync(bureau.Code);
        Assert.Equal(0, (long)done["backlog"]!);
        Assert.Equal(0, (double)done["lagSeconds"]!);

        // The department may read its own status, not another's.
        using var own = fixture.Exchange.CreateClientWithKey(bureau.ApiKey);
        Assert.Equal(200, (await own.GetJsonAsync($"/api/v1/departments/{bureau.Code}/delivery-status")).Status);
        Assert.Equal(403, (await own.GetJsonAsync("/api/v1/departments/police/delivery-status")).Status);
    }

    private static string[] PersonKeys(JsonObject cloudEvent) => [.. cloudEvent["data"]!["person"]!.AsObject().Select(p => p.Key)];

    private static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString();
}
