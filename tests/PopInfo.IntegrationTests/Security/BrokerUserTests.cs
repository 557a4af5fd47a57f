using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Collection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// Each service its own RabbitMQ user (issue 9): the registry, the desk and the exchange of <see cref="ExchangeFixture"/> run
/// as <c>popinfo-{service}</c> with the permissions of <c>BrokerPermissions</c>, the exchange provisioning departments with
/// a credential of its own. A service's user cannot take another service's messages; the platform still works.
/// </summary>
public sealed class BrokerUserTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private const ushort AccessRefused = 403;

    public static TheoryData<string, string> OthersQueues => new()
    {
        { "collection", "popinfo.registry.commands" },
        { "exchange", "popinfo.registry.commands" },
        { "identity", "popinfo.registry.commands" },
        { "sharing", "popinfo.registry.commands" },
        { "registry", "popinfo.exchange.person-changed" },
        { "registry", "popinfo.exchange.command-answers" },
        { "registry", "popinfo.exchange.client-status" },
        { "registry", "popinfo.exchange.inbound" },
        { "collection", "popinfo.exchange.command-answers" },
        { "exchange", "popinfo.collection.command-answers" },
        { "registry", "popinfo.collection.command-answers" },
    };

    [Theory]
    [MemberData(nameof(OthersQueues))]
    public async Task A_services_user_cannot_get_from_another_services_queue(string service, string queue)
    {
        await QueueExistsAsync(queue);
        await using var connection = await ConnectAsync(service);
        await using var channel = await connection.CreateChannelAsync();

        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(async () => await channel.BasicGetAsync(queue, autoAck: false));

        Assert.Equal(AccessRefused, refused.ShutdownReason?.ReplyCode);
    }

    [Fact]
    public async Task The_desks_user_cannot_consume_the_registrys_command_queue_nor_purge_nor_delete_it()
    {
        const string queue = "popinfo.registry.commands";
        await QueueExistsAsync(queue);
        await using var connection = await ConnectAsync("collection");

        Assert.Equal(AccessRefused, await RefusedAsync(connection, c => c.BasicConsumeAsync(queue, autoAck: true, new AsyncEventingBasicConsumerStub(c))));
        Assert.Equal(AccessRefused, await RefusedAsync(connection, c => c.QueuePurgeAsync(queue)));
        Assert.Equal(AccessRefused, await RefusedAsync(connection, c => c.QueueDeleteAsync(queue)));
        // Nor bind the queue to an exchange it may read, which would copy the commands elsewhere.
        Assert.Equal(AccessRefused, await RefusedAsync(connection, c => c.QueueBindAsync(queue, "popinfo.registry.command-answered", "")));
    }

    [Fact]
    public async Task The_registrys_user_cannot_consume_the_exchanges_queues()
    {
        await using var connection = await ConnectAsync("registry");
        foreach (var queue in new[] { "popinfo.exchange.person-changed", "popinfo.exchange.inbound" })
        {
            await QueueExistsAsync(queue);
            Assert.Equal(AccessRefused, await RefusedAsync(connection, c => c.BasicConsumeAsync(queue, autoAck: true, new AsyncEventingBasicConsumerStub(c))));
        }
    }

    [Fact]
    public async Task A_form_travels_desk_to_registry_to_exchange_each_service_as_its_own_user()
    {
        var desk = fixture.Desk;
        var police = await fixture.CreateDepartmentAsync("police");
        await fixture.SubscribeAsync(police.Code, ["born"], [RegionCatalogue.Wuxi.CityCode], ["name"]);
        using var collector = await desk.SignInAsync("collector-a");
        var mother = await desk.RegisterResidentAsync(sex: "2");

        // Sent by the desk as popinfo-collection, applied and answered by the registry as popinfo-registry.
        var (status, form) = await collector.PostAsync("/api/v1/forms", DeskForms.Birth(mother.IdNumber));
        Assert.True(status == 201, form.ToJsonString());
        var answered = await DeskFixture.WaitForAnswerAsync(collector, Guid.Parse((string)form["id"]!));
        Assert.True((string?)answered["state"] == "accepted", answered.ToJsonString());

        // The register records the desk's own broker user as the sender.
        var sequence = (long)answered["registry"]!["sequence"]!;
        var (_, page) = await fixture.Registry.GetJsonAsync($"/api/v1/changes?after={sequence - 1}&limit=1");
        Assert.Equal($"rabbitmq:{desk.Broker.UserOf("collection")}", (string?)page["changes"]![0]!["source"]);

        // PersonChanged, published as popinfo-registry, heard by the exchange as popinfo-exchange and delivered to the bureau.
        var events = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(police), police.Queue, 1, TimeSpan.FromSeconds(60));
        var born = Assert.Single(events);
        Assert.Equal((string)answered["registry"]!["personId"]!, (string?)born.Json["subject"]);
    }

    [Fact]
    public async Task A_client_suspended_at_the_identity_provider_reaches_the_exchange_both_as_their_own_users()
    {
        // The provider publishes ClientStatusChanged as popinfo-identity; the exchange consumes it as popinfo-exchange.
        await using var identity = new IdentityHost(RegistryHost.DistributedSettings(fixture.Desk.Database, fixture.Desk.Broker.UriOf("identity")));
        using var identityAdmin = identity.CreateAdminClient();
        var civil = await fixture.CreateDepartmentAsync("civil");
        var (created, client) = await identityAdmin.PostAsync("/api/v1/clients", new { departmentCode = civil.Code, displayName = "民政局" });
        Assert.True(created == 201, client.ToJsonString());

        var listed = (await identityAdmin.GetJsonArrayAsync("/api/v1/clients")).Body.Single(c => (string)c!["clientId"]! == $"dept-{civil.Code}")!;
        var (suspended, answer) = await identityAdmin.PostAsync($"/api/v1/clients/dept-{civil.Code}/suspend",
            new { expectedVersion = (int)listed["version"]!, reason = "审计暂停" });

        Assert.True(suspended == 200, answer.ToJsonString());
        await Eventually.TrueAsync(async () => (string?)(await fixture.Admin.GetJsonAsync($"/api/v1/departments/{civil.Code}")).Body["status"] == "suspended",
            TimeSpan.FromSeconds(30), "the exchange's department suspended");
    }

    [Fact]
    public async Task A_command_sent_before_the_registry_bound_its_exchange_is_returned_and_sent_again_not_lost()
    {
        // The state of a broker on which the registry never started: the command exchange routes nowhere.
        using var http = await TestInfrastructure.ManagementClientAsync();
        var vhost = Uri.EscapeDataString(fixture.Desk.VirtualHost.AbsolutePath.TrimStart('/'));
        var binding = $"api/bindings/{vhost}/e/popinfo.registry.command-requests/e/popinfo.registry.commands";
        await QueueExistsAsync("popinfo.registry.commands");
        var published = await PublishedToCommandExchangeAsync(http, vhost);
        (await http.DeleteAsync($"{binding}/~")).EnsureSuccessStatusCode();
        JsonObject form;
        using var collector = await fixture.Desk.SignInAsync("collector-a");
        try
        {
            var mother = await fixture.Desk.RegisterResidentAsync(sex: "2");
            (var status, form) = await collector.PostAsync("/api/v1/forms", DeskForms.Birth(mother.IdNumber));
            Assert.True(status == 201, form.ToJsonString());
            // The desk has sent it (the broker counts it, within its 5-second statistics interval) and it is still waiting.
            await Eventually.TrueAsync(async () => await PublishedToCommandExchangeAsync(http, vhost) > published, TimeSpan.FromSeconds(30), "the desk to send the command");
            Assert.Equal("submitted", (string?)(await collector.GetJsonAsync($"/api/v1/forms/{form["id"]}")).Body["state"]);
        }
        finally
        {
            (await http.PostAsJsonAsync(binding, new { routing_key = "" })).EnsureSuccessStatusCode();
        }

        var answered = await DeskFixture.WaitForAnswerAsync(collector, Guid.Parse((string)form["id"]!), TimeSpan.FromSeconds(60));
        Assert.True((string?)answered["state"] == "accepted", answered.ToJsonString());
    }

    private static async Task<long> PublishedToCommandExchangeAsync(HttpClient http, string vhost)
    {
        var exchange = await http.GetFromJsonAsync<JsonObject>($"api/exchanges/{vhost}/popinfo.registry.command-requests");
        return (long?)exchange?["message_stats"]?["publish_in"] ?? 0;
    }

    private async Task<IConnection> ConnectAsync(string service) =>
        await new ConnectionFactory { Uri = fixture.Desk.Broker.UriOf(service), AutomaticRecoveryEnabled = false }.CreateConnectionAsync();

    /// <summary>What the broker answers when a fresh channel of the connection does <paramref name="action"/>: its reply code.</summary>
    private static async Task<ushort?> RefusedAsync(IConnection connection, Func<IChannel, Task> action)
    {
        await using var channel = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => action(channel));
        return refused.ShutdownReason?.ReplyCode;
    }

    /// <summary>Waits until the service owning <paramref name="queue"/> has declared it, so a refusal is about rights, not absence.</summary>
    private async Task QueueExistsAsync(string queue)
    {
        // The desk's host starts on its first use; the registry's and the exchange's with the fixture.
        _ = fixture.Desk.Desk.Server;
        using var http = await TestInfrastructure.ManagementClientAsync();
        var vhost = Uri.EscapeDataString(fixture.Desk.VirtualHost.AbsolutePath.TrimStart('/'));
        await Eventually.TrueAsync(async () =>
        {
            using var response = await http.GetAsync($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}");
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<JsonObject>() is not null;
        }, TimeSpan.FromSeconds(30), $"the queue {queue} to be declared");
    }

    /// <summary>A consumer that is never given anything (the broker refuses it first).</summary>
    private sealed class AsyncEventingBasicConsumerStub(IChannel channel) : AsyncDefaultBasicConsumer(channel);
}
