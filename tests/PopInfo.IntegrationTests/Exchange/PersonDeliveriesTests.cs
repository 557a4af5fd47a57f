using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Exchange;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// A person's deliveries (POST /api/v1/persons/deliveries): exactly the departments that received the person's changes,
/// by queue and by feed, never another person's; the question in the exchange's audit trail; auditors only.
/// </summary>
public sealed class PersonDeliveriesTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private const string Auditor = "audit-li";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_persons_change_delivered_to_two_departments_by_queue_and_by_feed_gives_exactly_those_deliveries()
    {
        var community = ExchangeFixture.FreshCommunity();
        var queue = await fixture.CreateDepartmentAsync("queue");
        var feed = await fixture.CreateDepartmentAsync("feed");
        var deaths = await fixture.CreateDepartmentAsync("deaths");
        await fixture.SubscribeAsync(queue.Code, ["registered"], [community], ["sex"], "Pays child benefit to residents.");
        await fixture.SubscribeAsync(feed.Code, ["registered"], [community], ["sex"], "Keeps the school rolls current.");
        await fixture.SubscribeAsync(deaths.Code, ["died"], [community], ["sex"]);

        var person = await fixture.RegisterResidentAsync(community);
        var other = await fixture.RegisterResidentAsync(community);
        await fixture.WaitForProjectedAsync(queue.Code, 2);
        await fixture.WaitForProjectedAsync(feed.Code, 2);
        // The queue department takes both events from its queue; the feed department reads only the first (the person's).
        Assert.Equal(2, (await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(queue), queue.Queue, 2, Wait)).Count);
        Assert.Equal(person.PersonId.ToString(), (string)(await fixture.FeedAsync(feed, after: 0, limit: 1)).Single()!["subject"]!);
        await Eventually.TrueAsync(async () => (long)(await fixture.StatusAsync(feed.Code))["amqp"]!["published"]! >= 2, Wait, $"{feed.Code}'s queue to have its events");

        using var sharing = fixture.Exchange.CreateClientWithKey(SharingToken());
        var (status, answer) = await sharing.PostAsync("/api/v1/persons/deliveries", new { personId = person.PersonId, onBehalfOf = Auditor });

        Assert.Equal(200, status);
        Assert.Equal(person.PersonId.ToString(), (string)answer["personId"]!);
        Assert.False((bool)answer["truncated"]!);
        var deliveries = answer["deliveries"]!.AsArray().Select(d => d!.AsObject()).ToList();
        var expected = new[]
        {
            (queue.Code, 1L, person.Sequence, "cn.popinfo.person.registered.v1", "Pays child benefit to residents.", true, 0),
            (feed.Code, 1L, person.Sequence, "cn.popinfo.person.registered.v1", "Keeps the school rolls current.", true, 1),
        }.OrderBy(e => e.Item1, StringComparer.Ordinal);
        Assert.Equal(expected, deliveries.Select(d => (
            (string)d["department"]!, (long)d["sequence"]!, (long)d["registrySequence"]!, (string)d["eventType"]!, (string)d["purpose"]!,
            (bool)d["queue"]!["published"]!, d["feedReads"]!.AsArray().Count)));
        Assert.All(deliveries, d => Assert.Null(d["webhook"]));
        var read = deliveries.Single(d => (string)d["department"]! == feed.Code)["feedReads"]!.AsArray().Single()!;
        Assert.Equal($"department:{feed.Code}", (string)read["actor"]!);

        // Only the sequences asked for: the other person's sequence holds none of this person's events.
        var (filtered, none) = await sharing.PostAsync("/api/v1/persons/deliveries",
            new { personId = person.PersonId, registrySequences = new[] { other.Sequence }, onBehalfOf = Auditor });
        Assert.Equal(200, filtered);
        Assert.Empty(none["deliveries"]!.AsArray());

        // The question is in the exchange's audit trail, naming the client and the auditor it asked for.
        var database = fixture.Exchange.Services.GetRequiredKeyedService<ServiceDatabase>(ExchangeModule.Name);
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var audited = (await connection.QueryAsync<(string Actor, string After)>(
            "SELECT actor, after FROM audit_log WHERE action = 'person.deliveries.read' AND after LIKE @person ORDER BY id",
            new { person = $"%{person.PersonId}%" })).ToList();
        Assert.Equal(2, audited.Count);
        Assert.All(audited, a => Assert.Equal($"client:popinfo-sharing for auditor:{Auditor}", a.Actor));
        Assert.Equal(2, (int)JsonNode.Parse(audited[0].After)!["events"]!);
        Assert.Equal(0, (int)JsonNode.Parse(audited[1].After)!["events"]!);
    }

    [Fact]
    public async Task Bad_questions_are_refused_naming_the_field_and_the_rule()
    {
        using var sharing = fixture.Exchange.CreateClientWithKey(SharingToken());
        var (status, problem) = await sharing.PostAsync("/api/v1/persons/deliveries", new { registrySequences = Array.Empty<long>() });
        Assert.Equal(400, status);
        Assert.Equal(
            new[] { ("onBehalfOf", "required"), ("personId", "required"), ("registrySequences", "range") },
            problem["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!)).Order());
    }

    [Fact]
    public async Task Only_an_audit_token_may_ask()
    {
        var body = new { personId = Guid.NewGuid(), onBehalfOf = Auditor };
        using (var anonymous = fixture.Exchange.CreateClient())
        {
            Assert.Equal(401, (await anonymous.PostAsync("/api/v1/persons/deliveries", body)).Status);
        }

        using (var admin = fixture.Exchange.CreateClientWithKey(TestIssuer.Shared.Token([PlatformScopes.ExchangeAdmin], clientId: "popinfo-admin-page")))
        {
            var (status, problem) = await admin.PostAsync("/api/v1/persons/deliveries", body);
            Assert.Equal(403, status);
            Assert.Equal("token.scope", (string)problem["rule"]!);
        }

        // A person who is an auditor asks for themselves.
        using var auditor = fixture.Exchange.CreateClientWithKey(
            TestIssuer.Shared.Token([PlatformScopes.ExchangeAudit], clientId: "popinfo-report", subject: Auditor, role: "auditor"));
        var (asked, answer) = await auditor.PostAsync("/api/v1/persons/deliveries", new { personId = Guid.NewGuid() });
        Assert.Equal(200, asked);
        Assert.Empty(answer["deliveries"]!.AsArray());
    }

    private static string SharingToken() => TestIssuer.Shared.Token([PlatformScopes.ExchangeAudit], clientId: "popinfo-sharing");
}
