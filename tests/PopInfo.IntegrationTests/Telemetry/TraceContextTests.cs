using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PopInfo.IntegrationTests.Collection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.IntegrationTests.Registry;
using PopInfo.Registry.Commands;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Telemetry;

/// <summary>A caller's W3C trace context and what the outbox tables keep of it (docs/tracing.md).</summary>
internal static class Traced
{
    /// <summary>
    /// A new caller's context, marked sampled: (traceparent, its trace id). The platform's ratio sampler
    /// (<see cref="ServiceDefaults.TraceSampling"/>) decides on the id's first eight bytes, so the id is chosen to be
    /// <paramref name="kept"/> or dropped at any ratio: the trace's context must flow the same either way.
    /// </summary>
    public static (string TraceParent, string TraceId) NewContext(bool kept = true)
    {
        var traceId = (kept ? "0000000000000001" : "7fffffffffffffff") + ActivityTraceId.CreateRandom().ToHexString()[16..];
        return ($"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01", traceId);
    }

    public static string TraceIdOf(string traceParent) => traceParent.Split('-')[1];

    /// <summary>POSTs <paramref name="body"/> as JSON with the caller's <c>traceparent</c> (and <c>tracestate</c>).</summary>
    public static async Task<(int Status, JsonObject Body)> PostAsync(HttpClient client, string url, object body, string traceParent, string? traceState = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("traceparent", traceParent);
        if (traceState is not null)
        {
            request.Headers.Add("tracestate", traceState);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>Registers a person through the registry's own command code with no activity anywhere: no request, no consumer.</summary>
    public static async Task<JsonObject> RegisterWithoutActivityAsync(RegistryHost registry, Dictionary<string, object?> body)
    {
        Assert.Null(Activity.Current);
        using var scope = registry.Services.CreateScope();
        var commands = scope.ServiceProvider.GetRequiredService<PersonCommands>();
        var request = JsonSerializer.Deserialize<PopInfo.Contracts.Registry.Commands.RegisterPerson>(JsonSerializer.Serialize(body, Contracts.Json.Options), Contracts.Json.Options)!;
        var result = await commands.RegisterPersonAsync(request, CancellationToken.None);
        Assert.True(result.Value is { Created: true }, $"{result.Refusal}");
        return JsonNode.Parse(result.Value.Json)!.AsObject();
    }

    public static async Task<JsonObject> FeedEntryAsync(HttpClient registry, long sequence)
    {
        var (status, page) = await registry.GetJsonAsync($"/api/v1/changes?after={sequence - 1}&limit=1");
        Assert.Equal(200, status);
        var change = page["changes"]!.AsArray().Single()!.AsObject();
        Assert.Equal(sequence, (long)change["sequence"]!);
        return change;
    }

    public static async Task<(string? TraceParent, string? TraceState)> ColumnsAsync(string database, string sql, object key)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no row");
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}

/// <summary>The change log keeps the context its change was applied in, and the feed and the bus hand it on.</summary>
public abstract class ChangeLogTraceContextTests(RegistryFixture fixture)
{
    [Fact]
    public async Task A_change_applied_in_a_request_keeps_the_requests_trace_and_the_feed_hands_it_on()
    {
        var (caller, traceId) = Traced.NewContext();
        var (status, created) = await Traced.PostAsync(fixture.Client, "/api/v1/persons", People.Resident(), caller, "popinfo=test");
        Assert.Equal(201, status);

        var change = await Traced.FeedEntryAsync(fixture.Client, (long)created["sequence"]!);
        var traceParent = (string)change["traceParent"]!;
        Assert.Equal(traceId, Traced.TraceIdOf(traceParent));
        // The request's own span, a child of the caller's: not the caller's span itself.
        Assert.NotEqual(caller, traceParent);
        Assert.Equal("popinfo=test", (string)change["traceState"]!);
    }

    [Fact]
    public async Task A_change_applied_without_an_activity_has_no_trace_context_and_is_fed_all_the_same()
    {
        var created = await Traced.RegisterWithoutActivityAsync(fixture.Host, People.Resident());

        var change = await Traced.FeedEntryAsync(fixture.Client, (long)created["sequence"]!);
        Assert.Equal((string)created["eventId"]!, (string)change["eventId"]!);
        Assert.False(change.ContainsKey("traceParent"));
        Assert.False(change.ContainsKey("traceState"));
    }
}

public sealed class SqliteChangeLogTraceContextTests(SqliteRegistryFixture fixture) : ChangeLogTraceContextTests(fixture), IClassFixture<SqliteRegistryFixture>;

public sealed class PostgreSqlChangeLogTraceContextTests(PostgreSqlRegistryFixture fixture) : ChangeLogTraceContextTests(fixture), IClassFixture<PostgreSqlRegistryFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_relay_publishes_a_change_with_its_trace_context_and_one_without(bool kept)
    {
        await using var probe = await ChangeProbe.StartAsync(await TestInfrastructure.RabbitMqAsync());
        var (caller, traceId) = Traced.NewContext(kept);
        var (_, traced) = await Traced.PostAsync(fixture.Client, "/api/v1/persons", People.Resident(), caller);
        var untraced = await Traced.RegisterWithoutActivityAsync(fixture.Host, People.Resident());
        var tracedId = Guid.Parse((string)traced["eventId"]!);
        var untracedId = Guid.Parse((string)untraced["eventId"]!);

        await probe.WaitForEventsAsync([tracedId, untracedId], TimeSpan.FromSeconds(30));

        var tracedMessage = probe.Received.First(r => r.MessageId == tracedId).Envelope["message"]!.AsObject();
        Assert.Equal(traceId, Traced.TraceIdOf((string)tracedMessage["traceParent"]!));
        Assert.False(probe.Received.First(r => r.MessageId == untracedId).Envelope["message"]!.AsObject().ContainsKey("traceParent"));
        // The column itself, as the relay and the feed read it.
        var (column, _) = await Traced.ColumnsAsync(fixture.Host.DatabaseConnectionString!,
            "SELECT traceparent, tracestate FROM registry.change_log WHERE event_id = @key", tracedId);
        Assert.Equal((string)tracedMessage["traceParent"]!, column);
        Assert.Equal((null, null), await Traced.ColumnsAsync(fixture.Host.DatabaseConnectionString!,
            "SELECT traceparent, tracestate FROM registry.change_log WHERE event_id = @key", untracedId));
    }
}

/// <summary>The desk's outbox keeps the submitting request's context; the registry applies the command in the same trace.</summary>
public sealed class SubmissionTraceContextTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_submitted_form_keeps_the_requests_trace_which_the_registry_continues(bool kept)
    {
        var (_, motherIdNumber, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var (caller, traceId) = Traced.NewContext(kept);

        var (status, created) = await Traced.PostAsync(desk, "/api/v1/forms", DeskForms.Birth(motherIdNumber), caller);
        Assert.Equal(201, status);
        var formId = Guid.Parse((string)created["id"]!);

        // The outbox row is gone once the registry has answered (often before it could be read here); the relay sends it
        // from a background loop outside the request, so the trace can reach the registry only through the row.
        var form = await DeskFixture.WaitForAnswerAsync(desk, formId);
        Assert.Equal("accepted", (string)form["state"]!);
        // Across the bus: the registry's change was applied in the desk request's trace.
        var change = await Traced.FeedEntryAsync(fixture.RegistryClient, (long)form["registry"]!["sequence"]!);
        Assert.Equal(traceId, Traced.TraceIdOf((string)change["traceParent"]!));
    }
}

/// <summary>The exchange's deliveries keep the projection's context, in the row, the CloudEvent and the AMQP headers; and without one, none.</summary>
public sealed class DeliveryTraceContextTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_event_carries_its_changes_trace_to_the_queue_and_an_event_of_a_change_without_one_goes_out_without(bool kept)
    {
        var community = ExchangeFixture.FreshCommunity();
        var department = await fixture.CreateDepartmentAsync("trace");
        await fixture.SubscribeAsync(department.Code, ["registered"], [community], ["sex"]);
        var (caller, traceId) = Traced.NewContext(kept);
        var (status, traced) = await Traced.PostAsync(fixture.Registry, "/api/v1/persons", People.ResidentOf(community), caller);
        Assert.Equal(201, status);
        var untraced = await Traced.RegisterWithoutActivityAsync(fixture.Desk.Registry, People.ResidentOf(community));

        var taken = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(department), department.Queue, 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, taken.Count);
        var first = taken.Single(e => (long)e.Json["registrysequence"]! == (long)traced["sequence"]!);
        var second = taken.Single(e => (long)e.Json["registrysequence"]! == (long)untraced["sequence"]!);

        // The CloudEvent names the projection's span (in the caller's trace); the message's header, the publish's span under it.
        var attribute = (string)first.Json["traceparent"]!;
        Assert.Equal(traceId, Traced.TraceIdOf(attribute));
        Assert.Equal(traceId, Traced.TraceIdOf(first.Headers!["traceparent"]));
        Assert.NotEqual(attribute, first.Headers!["traceparent"]);
        var (column, _) = await Traced.ColumnsAsync(fixture.Desk.Database,
            $"SELECT traceparent, tracestate FROM exchange.deliveries WHERE department_code = @key AND sequence = {long.Parse((string)first.Json["sequence"]!)}", department.Code);
        Assert.Equal(attribute, column);

        // Without a context: no attribute and a null column, and delivered all the same. Its publish span is the relay
        // round's child (a trace of the relay's own), never one of another change's trace.
        Assert.False(second.Json.ContainsKey("traceparent"));
        Assert.NotEqual(traceId, Traced.TraceIdOf(second.Headers!["traceparent"]));
        Assert.Equal((null, null), await Traced.ColumnsAsync(fixture.Desk.Database,
            $"SELECT traceparent, tracestate FROM exchange.deliveries WHERE department_code = @key AND sequence = {long.Parse((string)second.Json["sequence"]!)}", department.Code));
        // The feed has the same bytes as the queue.
        var feed = await fixture.FeedAsync(department);
        Assert.Equal(JsonNode.Parse(first.Body)!.ToJsonString(), feed.Single(e => (string)e!["id"]! == first.MessageId)!.ToJsonString());
    }
}
