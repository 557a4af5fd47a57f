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
        var sequence = (long)created["sequence"]!;

        var seen = await probe.WaitForSequencesAsync(sequence, sequence, TimeSpan.FromSeconds(30));

        Assert.Single(seen);
        var (messageId, _, envelope, properties) = probe.Received.First(r => r.Sequence == sequence);
        var message = envelope["message"]!;
        Assert.Equal((string)created["eventId"]!, messageId.ToString());
        Assert.Equal((string)created["eventId"]!, (string)message["eventId"]!);
        Assert.Equal((string)created["personId"]!, (string)message["personId"]!);
        Assert.Equal(body["idNumber"], (string)message["idNumber"]!);
        Assert.Equal("registered", (string)message["changeType"]!);
        Assert.Equal(1, (int)message["version"]!);
        Assert.Equal("王芳", (string)message["person"]!["name"]!);
        Assert.Contains("idNumber", message["changedFields"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("api", (string)message["source"]!);
        Assert.Contains("urn:message:PopInfo.Contracts.Registry:PersonChanged", envelope["messageType"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(RabbitMQ.Client.DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Equal("application/vnd.masstransit+json", properties.ContentType);
    }
}
