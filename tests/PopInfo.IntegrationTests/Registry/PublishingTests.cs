using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Registry;

/// <summary>Each applied change reaches the RabbitMQ fanout exchange popinfo.person-changed, readable by any AMQP client.</summary>
public sealed class PublishingTests(PostgreSqlRegistryFixture fixture) : IClassFixture<PostgreSqlRegistryFixture>
{
    [Fact]
    public async Task Each_change_is_published_to_the_fanout_exchange_with_its_event_id_as_message_id()
    {
        await using var probe = await ChangeProbe.StartAsync(await TestInfrastructure.RabbitMqAsync());
        var body = People.Resident();
        var (status, created) = await fixture.Client.PostAsync("/api/v1/persons", body);
        Assert.Equal(201, status);
        var eventId = Guid.Parse((string)created["eventId"]!);

        var seen = await probe.WaitForEventsAsync([eventId], TimeSpan.FromSeconds(30));

        Assert.Single(seen);
        var (messageId, _, envelope, properties) = probe.Received.First(r => r.MessageId == eventId);
        var message = envelope["message"]!;
        Assert.Equal((string)created["eventId"]!, messageId.ToString());
        Assert.Equal((string)created["eventId"]!, (string)message["eventId"]!);
        Assert.Equal((string)created["personId"]!, (string)message["personId"]!);
        Assert.Equal(body["idNumber"], (string)message["idNumber"]!);
        Assert.Equal("registered", (string)message["changeType"]!);
        Assert.Equal(1, (int)message["version"]!);
        Assert.Equal("王芳", (string)message["person"]!["name"]!);
        Assert.Contains("idNumber", message["changedFields"]!.AsArray().Select(f => (string)f!));
        // The source is the caller's client, from its token, whatever the body says.
        Assert.Equal("client:popinfo-tests", (string)message["source"]!);
        Assert.Contains("urn:message:PopInfo.Contracts.Registry:PersonChanged", envelope["messageType"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(RabbitMQ.Client.DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Equal("application/vnd.masstransit+json", properties.ContentType);
    }
}

/// <summary>A burst of concurrent changes as the very first publishes of a fresh registry: none may be lost, none may be left behind.</summary>
public sealed class BurstPublishingTests(PostgreSqlRegistryFixture fixture) : IClassFixture<PostgreSqlRegistryFixture>
{
    [Fact]
    public async Task A_burst_of_changes_on_a_fresh_bus_is_published_completely()
    {
        await using var probe = await ChangeProbe.StartAsync(await TestInfrastructure.RabbitMqAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => fixture.Client.PostAsync("/api/v1/persons", People.Resident())));
        var eventIds = answers.Select(a => Guid.Parse((string)a.Body["eventId"]!)).ToList();
        var seen = await probe.WaitForEventsAsync(eventIds, TimeSpan.FromSeconds(30));

        Assert.All(answers, a => Assert.Equal(201, a.Status));
        Assert.Equal(eventIds.Order(), seen.Order());
    }

    [Fact]
    public async Task Changes_of_one_person_arrive_in_version_order_while_others_are_published_beside_them()
    {
        await using var probe = await ChangeProbe.StartAsync(await TestInfrastructure.RabbitMqAsync());
        var (_, created) = await fixture.Client.PostAsync("/api/v1/persons", People.Resident());
        var id = (string)created["personId"]!;
        var eventIds = new List<Guid> { Guid.Parse((string)created["eventId"]!) };

        // One person corrected 12 times in a row while 60 other people register concurrently, so the
        // relay's batches mix this person's entries with many others (it publishes those side by side).
        var others = Task.WhenAll(Enumerable.Range(0, 60).Select(_ => fixture.Client.PostAsync("/api/v1/persons", People.Resident())));
        for (var version = 1; version <= 12; version++)
        {
            var (status, changed) = await fixture.Client.PostAsync($"/api/v1/persons/{id}/corrections",
                new { commandId = Guid.NewGuid(), expectedVersion = version, occupation = $"职业{version}" });
            Assert.Equal(200, status);
            eventIds.Add(Guid.Parse((string)changed["eventId"]!));
        }

        eventIds.AddRange((await others).Select(a => Guid.Parse((string)a.Body["eventId"]!)));
        await probe.WaitForEventsAsync(eventIds, TimeSpan.FromSeconds(30));

        var versionsInArrivalOrder = probe.Received
            .Where(r => (string)r.Envelope["message"]!["personId"]! == id)
            .Select(r => (int)r.Envelope["message"]!["version"]!)
            .Distinct()
            .ToList();
        Assert.Equal(Enumerable.Range(1, 13), versionsInArrivalOrder);
    }
}
