using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Poison;

/// <summary>
/// The registry's entrances — its HTTP commands, its queries and the bus command — refuse poisoned free text
/// naming the field and the rule, and store nothing; data the database itself refuses is answered at once
/// and the answer is kept under the command id.
/// </summary>
public abstract class RegistryPoisonBehaviour(PoisonPlatform platform)
{
    private static JsonObject Resident() => JsonSerializer.SerializeToNode(People.Resident())!.AsObject();

    private static JsonObject Migrant()
    {
        var body = Resident();
        body["residenceType"] = "migrant";
        body["registeredRegionCode"] = "510104";
        body["migrant"] = new JsonObject { ["originRegionCode"] = "510104", ["arrivalDate"] = "2024-03-01", ["reason"] = "work", ["expectedStayMonths"] = 24 };
        return body;
    }

    private static JsonObject Existing(object fields) => JsonSerializer.SerializeToNode(fields)!.AsObject();

    /// <summary>Every free-text field of every command route: the route ({id}: an existing person), a valid body, and the field.</summary>
    private static readonly Dictionary<string, (string Route, Func<JsonObject> Body, string Field)> Fields = new()
    {
        ["register-person name"] = ("/api/v1/persons", Resident, "name"),
        ["register-person occupation"] = ("/api/v1/persons", () => With(Resident(), "occupation", "教师"), "occupation"),
        ["register-person phone"] = ("/api/v1/persons", Resident, "phone"),
        ["register-person registeredAddress"] = ("/api/v1/persons", Resident, "registeredAddress"),
        ["register-person residenceAddress"] = ("/api/v1/persons", Resident, "residenceAddress"),
        // No "source" over HTTP: the registry takes it from the caller's token and ignores the body's (the bus command's is checked below).
        ["register-person migrant.reason"] = ("/api/v1/persons", Migrant, "migrant.reason"),
        ["register-birth name"] = ("/api/v1/births", Resident, "name"),
        ["register-birth residenceAddress"] = ("/api/v1/births", Resident, "residenceAddress"),
        ["move-in origin"] = ("/api/v1/move-ins", () => With(With(Resident(), "moveDate", "2025-06-01"), "origin", "南京市"), "origin"),
        ["move-in residenceAddress"] = ("/api/v1/move-ins", () => With(With(Resident(), "moveDate", "2025-06-01"), "origin", "南京市"), "residenceAddress"),
        ["migrant-arrival reason"] = ("/api/v1/migrant-arrivals", MigrantArrival, "reason"),
        ["migrant-arrival occupation"] = ("/api/v1/migrant-arrivals", () => With(MigrantArrival(), "occupation", "厨师"), "occupation"),
        ["correction name"] = ("/api/v1/persons/{id}/corrections", () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, name = "王芳" }), "name"),
        ["correction occupation"] = ("/api/v1/persons/{id}/corrections", () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, occupation = "教师" }), "occupation"),
        ["correction registeredAddress"] = ("/api/v1/persons/{id}/corrections", () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, registeredAddress = "春华路2号" }), "registeredAddress"),
        ["correction residenceAddress"] = ("/api/v1/persons/{id}/corrections", () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, residenceAddress = "春华路2号" }), "residenceAddress"),
        ["move-within-city residenceAddress"] = ("/api/v1/persons/{id}/move-within-city",
            () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, moveDate = "2025-06-01", residenceAddress = "青石路66号", residenceRegionCode = People.Community }), "residenceAddress"),
        ["move-out destination"] = ("/api/v1/persons/{id}/move-out", () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, moveDate = "2025-06-01", destination = "上海市" }), "destination"),
        ["migrant-departure destination"] = ("/api/v1/persons/{id}/migrant-departure", () => Existing(new { commandId = Guid.NewGuid(), expectedVersion = 1, departureDate = "2025-06-01", destination = "成都市" }), "destination"),
        ["household number"] = ("/api/v1/households", () => Existing(new { commandId = Guid.NewGuid(), number = "H" + Guid.NewGuid().ToString("N")[..8], address = "春华路1号", regionCode = People.Community }), "number"),
        ["household address"] = ("/api/v1/households", () => Existing(new { commandId = Guid.NewGuid(), number = "H" + Guid.NewGuid().ToString("N")[..8], address = "春华路1号", regionCode = People.Community }), "address"),
    };

    private static JsonObject MigrantArrival()
    {
        var body = Resident();
        body.Remove("residenceType");
        body["registeredRegionCode"] = "510104";
        body["originRegionCode"] = "510104";
        body["arrivalDate"] = "2024-03-01";
        body["reason"] = "work";
        body["expectedStayMonths"] = 24;
        return body;
    }

    private static JsonObject With(JsonObject body, string field, string value)
    {
        body[field] = value;
        return body;
    }

    public static TheoryData<string, string> FieldsAndPoisons => Poisons.Cross(Fields.Keys);

    [Theory]
    [MemberData(nameof(FieldsAndPoisons))]
    public async Task A_poisoned_free_text_field_of_a_command_is_refused_naming_the_field_and_the_rule_and_nothing_is_stored(string field, string poison)
    {
        var (route, body, path) = Fields[field];
        var (character, rule) = Poisons.All[poison];
        var person = route.Contains("{id}", StringComparison.Ordinal) ? await platform.RegisterResidentAsync() : default;
        var request = body();
        Poisons.Poison(request, path, character);
        var before = await platform.LastSequenceAsync();

        var (status, problem) = await platform.RegistryClient.PostAsync(route.Replace("{id}", person.PersonId.ToString(), StringComparison.Ordinal), request);

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Equal("urn:popinfo:problem:validation", (string?)problem["type"]);
        Assert.Contains((path, rule), problem.Violations());
        Assert.DoesNotContain(character, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await platform.LastSequenceAsync());
        if (request["idNumber"] is JsonValue idNumber)
        {
            Assert.Equal(404, (await platform.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{idNumber}")).Status);
        }
    }

    [Fact]
    public async Task The_reason_of_a_correction_may_run_over_lines_but_holds_no_control_character()
    {
        var person = await platform.RegisterResidentAsync();
        var route = $"/api/v1/persons/{person.PersonId}/corrections";

        var (refused, problem) = await platform.RegistryClient.PostAsync(route, new { commandId = Guid.NewGuid(), expectedVersion = 1, occupation = "教师", reason = "户籍\0核对" });
        Assert.Equal(400, refused);
        Assert.Equal([("reason", Poisons.ControlCharacter)], problem.Violations());

        var (applied, _) = await platform.RegistryClient.PostAsync(route, new { commandId = Guid.NewGuid(), expectedVersion = 1, occupation = "教师", reason = "户籍核对:\r\n\t职业登记有误" });
        Assert.Equal(200, applied);
    }

    // Not a NUL in a path: ASP.NET Core's URL decoder refuses one itself (Kestrel answers 400) before any endpoint runs.
    public static TheoryData<string, string> QueriesAndPoisons =>
        Poisons.Cross(["name", "idNumber"], (parameter, poison) => !(parameter == "idNumber" && poison == "NUL"));

    [Theory]
    [MemberData(nameof(QueriesAndPoisons))]
    public async Task A_poisoned_query_or_path_is_refused_naming_the_parameter(string parameter, string poison)
    {
        var (character, rule) = Poisons.All[poison];
        var url = parameter == "name"
            ? $"/api/v1/persons?name={Uri.EscapeDataString(Poisons.Into("王芳", character))}"
            : $"/api/v1/persons/by-id-number/{Uri.EscapeDataString(Poisons.Into("320205199003070023", character))}";

        var (status, problem) = await platform.RegistryClient.GetJsonAsync(url);

        Assert.True(status == 400, $"{status} {problem}");
        Assert.Equal([(parameter, rule)], problem.Violations());
    }

    [Theory]
    [InlineData("name")]
    [InlineData("residenceAddress")]
    [InlineData("migrant.reason")]
    public async Task An_escaped_lone_surrogate_is_refused_by_the_free_text_rule(string path)
    {
        var json = Poisons.WithLoneSurrogate(Migrant(), path);
        var before = await platform.LastSequenceAsync();

        using var response = await platform.RegistryClient.PostAsync("/api/v1/persons", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.True((int)response.StatusCode == 400, problem.ToJsonString());
        Assert.Equal([(path, Poisons.LoneSurrogate)], problem.Violations());
        Assert.Equal(before, await platform.LastSequenceAsync());
    }

    [Fact]
    public async Task A_bus_command_with_a_NUL_in_an_address_is_answered_as_a_refusal_at_once()
    {
        await using var answers = await AnswersAsync();
        var body = People.Resident();
        body["residenceAddress"] = "春华路\01号";
        var command = Command(body);
        var before = await platform.LastSequenceAsync();

        await answers.SendAsync(command);
        var answer = await answers.WaitForAsync(command.CommandId, count: 1);

        Assert.False(answer.Applied);
        Assert.Equal(400, answer.Status);
        Assert.Contains(("residenceAddress", Poisons.ControlCharacter), Violations(answer));
        Assert.Equal(before, await platform.LastSequenceAsync());
    }

    [Fact]
    public async Task A_typed_bus_command_with_a_NUL_in_an_address_is_answered_as_a_refusal_at_once()
    {
        await using var answers = await AnswersAsync();
        var body = People.Resident();
        body["residenceAddress"] = "春华路\01号";
        var command = JsonSerializer.Deserialize<RegisterPerson>(JsonSerializer.Serialize(body, Contracts.Json.Options), Contracts.Json.Options)! with
        {
            CommandId = Guid.NewGuid(),
            Actor = "desk:test",
        };
        var before = await platform.LastSequenceAsync();

        await answers.SendAsync(command, command.CommandId!.Value);
        var answer = await answers.WaitForAsync(command.CommandId!.Value, count: 1);

        Assert.False(answer.Applied);
        Assert.Equal((400, RegistryCommandTypes.RegisterPerson, "desk:test"), (answer.Status, answer.CommandType, answer.Source));
        Assert.Contains(("residenceAddress", Poisons.ControlCharacter), Violations(answer));
        Assert.Equal(before, await platform.LastSequenceAsync());
    }

    [Fact]
    public async Task A_typed_bus_command_whose_body_cannot_be_read_is_answered_once_with_the_field_and_nothing_is_applied_or_parked()
    {
        await using var answers = await AnswersAsync();
        using var processed = new ProcessedCommands(platform.Registry.Services.GetRequiredService<IBus>());
        var idNumber = (string)People.Resident()["idNumber"]!;
        var command = new RegisterPersonWithNumericBirthDate(Guid.NewGuid(), "desk:test", Guid.NewGuid(), idNumber, "王芳", BirthDate: 12);
        var before = await platform.LastSequenceAsync();
        var parkedBefore = await ParkedCommandsAsync();

        await SendRawAsync(answers, command);
        var answer = await answers.WaitForAsync(command.CommandId, count: 1);
        var fault = await processed.WaitForAsync(command.CommandId);

        Assert.Null(fault);
        Assert.False(answer.Applied);
        Assert.Equal((400, RegistryCommandTypes.RegisterPerson, "desk:test", command.CorrelationId), (answer.Status, answer.CommandType, answer.Source, answer.CorrelationId));
        Assert.Equal("urn:popinfo:problem:malformed-request", answer.Problem!.Value.GetProperty("type").GetString());
        Assert.Equal([("birthDate", "json.format")], Violations(answer));
        Assert.Single(answers.Of(command.CommandId));
        Assert.Equal(before, await platform.LastSequenceAsync());
        Assert.Equal(404, (await platform.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{idNumber}")).Status);
        Assert.Equal((0u, 0u), (parkedBefore, await ParkedCommandsAsync()));
    }

    /// <summary>
    /// Sends the command as a careless sender would: on RabbitMQ raw, MassTransit's JSON envelope written by hand and published
    /// to the registry's queue with RabbitMQ.Client; on the in-memory bus (no broker to publish to) through the bus, which
    /// names it by RegisterPerson's URN. Either way the body on the wire holds <c>"birthDate": 12</c>.
    /// </summary>
    private async Task SendRawAsync(AnswerListener answers, RegisterPersonWithNumericBirthDate command)
    {
        if (!platform.HasBroker)
        {
            await answers.SendAsync(command, command.CommandId);
            return;
        }

        var envelope = new JsonObject
        {
            ["messageId"] = command.CommandId,
            ["responseAddress"] = answers.AnswerAddress.ToString(),
            ["messageType"] = new JsonArray("urn:message:PopInfo.Contracts.Registry.Commands:RegisterPerson"),
            ["message"] = JsonSerializer.SerializeToNode(command, Contracts.Json.Options),
        };
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = platform.VirtualHost!, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(
            new RabbitMQ.Client.CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new RabbitMQ.Client.BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            MessageId = command.CommandId.ToString(),
            Persistent = true,
        };
        await channel.BasicPublishAsync("", RegistryCommandRoutes.CommandQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(envelope.ToJsonString()));
    }

    /// <summary>
    /// A register-person as a careless sender writes it, by hand: the birth date a number. MassTransit names the message by
    /// RegisterPerson's URN, so the registry takes it for one.
    /// </summary>
    [MessageUrn("PopInfo.Contracts.Registry.Commands:RegisterPerson")]
    public sealed record RegisterPersonWithNumericBirthDate(Guid CommandId, string Actor, Guid CorrelationId, string IdNumber, string Name, int BirthDate);

    /// <summary>
    /// The exact number of messages in the registry's error queue <c>popinfo.registry.commands_error</c> (0 while MassTransit
    /// has not created it); 0 as well on the in-memory bus of the SQLite platform, which has no broker to ask.
    /// </summary>
    private async Task<uint> ParkedCommandsAsync()
    {
        if (!platform.HasBroker)
        {
            return 0;
        }

        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = platform.VirtualHost!, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(RegistryCommandRoutes.CommandQueue + "_error")).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Hears when the registry's bus has finished with a received message (acknowledged it, or moved it to the error queue):
    /// only then is the error queue's depth the final word on it.
    /// </summary>
    private sealed class ProcessedCommands : IReceiveObserver, IDisposable
    {
        private readonly ConcurrentDictionary<Guid, Exception?> done = new();
        private readonly ConnectHandle handle;

        public ProcessedCommands(IBus bus) => handle = bus.ConnectReceiveObserver(this);

        /// <summary>Waits until the message <paramref name="messageId"/> is done; returns its receive fault, null when none.</summary>
        public async Task<Exception?> WaitForAsync(Guid messageId)
        {
            await Exchange.Eventually.TrueAsync(() => Task.FromResult(done.ContainsKey(messageId)), TimeSpan.FromSeconds(15), $"the registry to finish with {messageId}");
            return done[messageId];
        }

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context) => Done(context, null);

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class => Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Done(context, exception);

        public void Dispose() => handle.Disconnect();

        private Task Done(ReceiveContext context, Exception? fault)
        {
            if (context.GetMessageId() is { } id)
            {
                done.TryAdd(id, fault);
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_bus_command_with_a_poisoned_subject_is_refused_before_any_look_up()
    {
        await using var answers = await AnswersAsync();
        var command = Command(new Dictionary<string, object?> { ["deathDate"] = "2025-06-01" }) with
        {
            CommandType = RegistryCommandTypes.RegisterDeath,
            SubjectIdNumber = "32020519900307\u202E0023",
        };

        await answers.SendAsync(command);
        var answer = await answers.WaitForAsync(command.CommandId, count: 1);

        Assert.Equal(400, answer.Status);
        Assert.Equal([("subjectIdNumber", Poisons.BidiOverride)], Violations(answer));
    }

    [Fact]
    public async Task Data_the_database_refuses_is_answered_at_once_never_retried_and_a_redelivery_gets_the_stored_answer()
    {
        // A rule of the database the register's own rules do not know: a name it refuses (class 23 on
        // PostgreSQL, a constraint error on SQLite), as NUL in jsonb was refused before the free-text rule.
        var refusedName = "拒收" + (char)(0x4E00 + Random.Shared.Next(0x5000)) + (char)(0x4E00 + Random.Shared.Next(0x5000));
        await using var answers = await AnswersAsync();
        var body = People.Resident();
        body["name"] = refusedName;
        var command = Command(body);
        var before = await platform.LastSequenceAsync();
        await RefuseNameAsync(refusedName, refuse: true);
        try
        {
            await answers.SendAsync(command);
            var first = await answers.WaitForAsync(command.CommandId, count: 1, within: TimeSpan.FromSeconds(15));
            Assert.False(first.Applied);
            Assert.Equal(409, first.Status);
            Assert.Equal("urn:popinfo:problem:conflict", first.Problem!.Value.GetProperty("type").GetString());
            Assert.Equal("database.constraint", first.Problem!.Value.GetProperty("rule").GetString());

            // Redelivered (the sender's outbox sent it again): the same answer, from the commands table.
            await answers.SendAsync(command);
            var second = await answers.WaitForAsync(command.CommandId, count: 2);
            Assert.Equal((first.Status, first.Problem!.Value.GetRawText()), (second.Status, second.Problem!.Value.GetRawText()));
        }
        finally
        {
            await RefuseNameAsync(refusedName, refuse: false);
        }

        // Even now that the database would take it, the command id keeps its answer: never applied twice.
        await answers.SendAsync(command);
        var third = await answers.WaitForAsync(command.CommandId, count: 3);
        Assert.False(third.Applied);
        Assert.Equal(409, third.Status);
        Assert.Equal(before, await platform.LastSequenceAsync());
        Assert.Equal(404, (await platform.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{body["idNumber"]}")).Status);
        Assert.Equal(3, answers.Of(command.CommandId).Count);

        // Over HTTP the same command id comes from another caller (the source is the token's client, not desk:test):
        // it is refused as an id used for another request, not applied.
        var (status, problem) = await platform.RegistryClient.PostAsync("/api/v1/persons", Replace(body, command.CommandId));
        Assert.Equal(422, status);
        Assert.Equal("command-id.same-request", (string?)problem["rule"]);
        Assert.Equal(before, await platform.LastSequenceAsync());
    }

    [Fact]
    public async Task A_bus_command_naming_its_person_by_identity_number_and_no_version_is_answered_the_same_when_redelivered_after_it_applied()
    {
        // The registry fills in the version such a command acts on; a redelivery after the first apply (the registry
        // committed, the broker never heard the acknowledgement) must act on the version the first delivery did, or its
        // request hash differs and the applied command is answered "command id reused" (found by the fault campaign).
        await using var answers = await AnswersAsync();
        var arrivalBody = MigrantArrival();
        var idNumber = (string)arrivalBody["idNumber"]!;
        var arrival = new ApplyRegistryCommand
        {
            CommandId = Guid.NewGuid(), CommandType = RegistryCommandTypes.MigrantArrival, Body = JsonSerializer.SerializeToElement(arrivalBody),
            SubjectIdNumber = idNumber, Source = "desk:test", SentAt = DateTimeOffset.UtcNow,
        };
        var correction = new ApplyRegistryCommand
        {
            CommandId = Guid.NewGuid(), CommandType = RegistryCommandTypes.CorrectDetails,
            Body = JsonSerializer.SerializeToElement(new { occupation = "厨师" }), SubjectIdNumber = idNumber, Source = "desk:test", SentAt = DateTimeOffset.UtcNow,
        };

        foreach (var (command, version) in new[] { (arrival, 1), (correction, 2) })
        {
            await answers.SendAsync(command);
            var first = await answers.WaitForAsync(command.CommandId, count: 1);
            await answers.SendAsync(command);
            var repeat = await answers.WaitForAsync(command.CommandId, count: 2);

            Assert.True(first.Applied, first.Problem?.GetRawText());
            Assert.Equal(version, first.Version);
            Assert.Equal((true, first.Status, first.Version, first.Sequence), (repeat.Applied, repeat.Status, repeat.Version, repeat.Sequence));
        }

        var person = await platform.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{idNumber}");
        Assert.Equal((200, 2), (person.Status, (int)person.Body!["version"]!));
    }

    private static Dictionary<string, object?> Replace(Dictionary<string, object?> body, Guid commandId)
    {
        var copy = new Dictionary<string, object?>(body) { ["commandId"] = commandId, ["source"] = "desk:test" };
        return copy;
    }

    private async Task RefuseNameAsync(string name, bool refuse)
    {
        var database = platform.Registry.Services.GetRequiredKeyedService<ServiceDatabase>(RegistryModule.Name);
        var postgres = database.Dialect is PostgreSqlDialect;
        var sql = (postgres, refuse) switch
        {
            (true, true) => $"ALTER TABLE persons ADD CONSTRAINT poison_test_name CHECK (name <> '{name}')",
            (true, false) => "ALTER TABLE persons DROP CONSTRAINT poison_test_name",
            (false, true) => $"CREATE TRIGGER poison_test_name BEFORE INSERT ON persons WHEN NEW.name = '{name}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END",
            (false, false) => "DROP TRIGGER poison_test_name",
        };
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static ApplyRegistryCommand Command(Dictionary<string, object?> body) => new()
    {
        CommandId = Guid.NewGuid(),
        CommandType = RegistryCommandTypes.RegisterPerson,
        Body = JsonSerializer.SerializeToElement(body),
        Source = "desk:test",
        SentAt = DateTimeOffset.UtcNow,
    };

    private static List<(string Field, string Rule)> Violations(RegistryCommandAnswered answer) =>
        [.. answer.Problem!.Value.GetProperty("violations").EnumerateArray().Select(v => (v.GetProperty("field").GetString()!, v.GetProperty("rule").GetString()!))];

    private async Task<AnswerListener> AnswersAsync()
    {
        var bus = platform.Registry.Services.GetRequiredService<IBus>();
        var listener = new AnswerListener(bus);
        await listener.ConnectAsync();
        return listener;
    }

    /// <summary>Sends commands to the registry's queue and hears its answers, as the desk does.</summary>
    private sealed class AnswerListener(IBus bus) : IAsyncDisposable
    {
        private readonly ConcurrentQueue<RegistryCommandAnswered> answers = new();
        // The test's own answer exchange, as a sending service has one (RegistryCommandRoutes.AnswerExchange).
        private readonly string sender = "test-" + Guid.NewGuid().ToString("N")[..12];
        private HostReceiveEndpointHandle? handle;

        /// <summary>The test's answer exchange, as a command names it for its response address.</summary>
        public Uri AnswerAddress => new($"exchange:{RegistryCommandRoutes.AnswerExchange(sender)}");

        public async Task ConnectAsync()
        {
            handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, e =>
            {
                e.BindRegistryAnswers(sender);
                e.Handler<RegistryCommandAnswered>(context =>
                {
                    answers.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
            await handle.Ready;
        }

        /// <summary>Sends a command of either version, naming the test's answer exchange as the sender's.</summary>
        public async Task SendAsync(object command, Guid commandId)
        {
            // To the command exchange, as the senders do: a "queue:" address would make the bus declare the queue without
            // its quorum arguments, which the broker refuses (docs/broker.md).
            var endpoint = await bus.GetSendEndpoint(BusRegistration.RegistryCommands);
            await endpoint.Send(command, command.GetType(), Pipe.Execute<SendContext>(context =>
            {
                context.MessageId = commandId;
                context.ResponseAddress = AnswerAddress;
            }));
        }

        public Task SendAsync(ApplyRegistryCommand command) => SendAsync(command, command.CommandId);

        public IReadOnlyList<RegistryCommandAnswered> Of(Guid commandId) => [.. answers.Where(a => a.CommandId == commandId)];

        /// <summary>
        /// Polls until the command has <paramref name="count"/> answers. The deadline is far below the retry
        /// policy's quarter of an hour: an answer in time means the command was not retried.
        /// </summary>
        public async Task<RegistryCommandAnswered> WaitForAsync(Guid commandId, int count, TimeSpan? within = null)
        {
            await Exchange.Eventually.TrueAsync(() => Task.FromResult(Of(commandId).Count >= count), within ?? TimeSpan.FromSeconds(15), $"answer {count} to {commandId}");
            var all = Of(commandId);
            Assert.Equal(count, all.Count);
            return all[^1];
        }

        public async ValueTask DisposeAsync()
        {
            if (handle is not null)
            {
                await handle.StopAsync();
            }
        }
    }
}

public sealed class RegistryPoisonOnPostgreSqlTests(PostgreSqlPoisonPlatform platform) : RegistryPoisonBehaviour(platform), IClassFixture<PostgreSqlPoisonPlatform>;

public sealed class RegistryPoisonOnSqliteTests(SqlitePoisonPlatform platform) : RegistryPoisonBehaviour(platform), IClassFixture<SqlitePoisonPlatform>;
