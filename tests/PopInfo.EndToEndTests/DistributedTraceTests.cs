using System.Net;
using System.Text;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;

namespace PopInfo.EndToEndTests;

/// <summary>
/// The desk, the registry and the exchange as processes on PostgreSQL and RabbitMQ, each exporting its spans over
/// OTLP to the test's own receiver: one W3C trace follows a form from the desk's request through the registry to a
/// department's queue and webhook (docs/tracing.md), and the event the department takes carries it.
/// </summary>
public sealed class DistributedTraceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_trace_follows_a_form_from_the_desk_through_the_registry_to_a_departments_queue_and_webhook()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        await using var webhook = await WebhookReceiver.StartAsync();
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var broker = await TestInfrastructure.CreateVirtualHostAsync();
        var management = await TestInfrastructure.RabbitMqManagementAsync();
        var community = RegionCatalogue.Wuxi.Communities[5].Code;
        var exporting = otlp.EnvironmentVariables();
        await using (var registry = ServiceProcess.Registry(database, broker).With(exporting))
        {
            await registry.StartAsync();
            await using var collection = ServiceProcess.Collection(database, broker, registry.BaseAddress).With(exporting);
            await using var exchange = ServiceProcess.Exchange(database, broker, registry.BaseAddress, management).With(exporting);
            await Task.WhenAll(collection.StartAsync(), exchange.StartAsync());

            // A department that hears of births in the community, on its queue and its webhook.
            using var admin = new HttpClient { BaseAddress = exchange.BaseAddress };
            admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
            var code = $"health-{Guid.NewGuid().ToString("N")[..6]}";
            var (created, department) = await admin.PostAsync("/api/v1/departments",
                new { code, name = "health bureau", contact = "duty desk", webhookUrl = webhook.Url.ToString(), inboundKinds = Array.Empty<string>() });
            Assert.True(created == 201, $"{created} {department}");
            webhook.Secret = (string)department["credentials"]!["webhookSecret"]!;
            var amqp = department["credentials"]!["amqp"]!;
            var (subscribed, subscription) = await admin.PostAsync($"/api/v1/departments/{code}/subscriptions",
                new { changeTypes = new[] { "born" }, regions = new[] { community }, fields = new[] { "sex", "birthDate" }, purpose = "Birth records." });
            Assert.True(subscribed == 201, $"{subscribed} {subscription}");

            // The mother is registered over HTTP (a trace of its own); the birth goes through the desk.
            using var registryHttp = ServiceProcess.RegistryClient(registry.BaseAddress);
            var mother = People.ResidentOf(community);
            Assert.Equal(201, (await registryHttp.PostAsync("/api/v1/persons", mother)).Status);
            using var desk = await DeskSignIn.SignInAsync(
                new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = collection.BaseAddress },
                TestIssuer.Shared.People.Add(new TestPerson("e2e-trace-collector", "测试", "collector", community)));
            var birth = CityDate.Today.AddDays(-1);
            var childIdNumber = IdentityNumber.Create("320205", birth, 7);
            var (status, form) = await desk.PostAsync("/api/v1/forms", new
            {
                formType = "birth",
                submit = true,
                data = new Dictionary<string, string>
                {
                    ["idNumber"] = childIdNumber,
                    ["name"] = "陈小宝",
                    ["sex"] = "1",
                    ["birthDate"] = birth.ToString("yyyy-MM-dd"),
                    ["ethnicity"] = "01",
                    ["motherIdNumber"] = (string)mother["idNumber"]!,
                },
            });
            Assert.True(status == 201, $"{status} {form}");

            // The department takes the event: its traceparent header and its CloudEvent attribute are of one trace.
            var events = await DepartmentQueue.TakeAsync(DepartmentQueue.As(broker, (string)amqp["user"]!, (string)amqp["password"]!), (string)amqp["queue"]!, 1,
                TimeSpan.FromSeconds(90));
            var taken = Assert.Single(events);
            var cloudEvent = taken.Json;
            Assert.Equal("cn.popinfo.person.born.v1", (string)cloudEvent["type"]!);
            var traceParent = (string)cloudEvent["traceparent"]!;
            var traceId = TraceIdOf(traceParent);
            Assert.NotNull(taken.Headers);
            Assert.True(taken.Headers.TryGetValue("traceparent", out var header), "the message has no traceparent header");
            Assert.Equal(traceId, TraceIdOf(header));
            // The header names the publish span, a child of the projection the CloudEvent names.
            Assert.NotEqual(traceParent, header);

            // The webhook's POST carries the trace too, and the same CloudEvent.
            await PollAsync(() => !webhook.Accepted.IsEmpty, TimeSpan.FromSeconds(60), "the webhook's POST");
            var posted = Assert.Single(webhook.Accepted);
            Assert.Equal(taken.Body, posted.Body);
            Assert.NotNull(posted.TraceParent);
            Assert.Equal(traceId, TraceIdOf(posted.TraceParent));

            // The receiver gets the whole chain, parent by parent: the exchange's publish to the department's queue
            // back to the desk's request, which is the trace's root.
            var queue = (string)amqp["queue"]!;
            List<OtlpSpan> chain = [];
            await PollAsync(() =>
            {
                chain = Chain(otlp.Trace(traceId), $"{queue} publish");
                return chain.Count > 0 && chain[^1].ParentSpanId.Length == 0;
            }, TimeSpan.FromSeconds(60), "the trace's spans from the department's queue back to the desk", () => Describe(otlp.Trace(traceId)));
            output.WriteLine(Describe(chain));

            var publish = chain[0];
            Assert.Equal("popinfo-exchange", publish.Service);
            Assert.Equal(OtlpSpanKind.Producer, publish.Kind);
            Assert.Equal(queue, publish.Attributes["messaging.destination.name"]);
            Assert.Equal(TraceIdOf(header), publish.TraceId);
            Assert.EndsWith(publish.SpanId + "-01", header, StringComparison.Ordinal);
            Assert.Equal(traceParent.Split('-')[2], chain[1].SpanId);
            Assert.Equal("popinfo.exchange.change project", chain[1].Name);
            var root = chain[^1];
            Assert.Equal("popinfo-collection", root.Service);
            Assert.Equal(OtlpSpanKind.Server, root.Kind);
            Assert.Equal("POST", root.Attributes["http.request.method"]);
            Assert.Equal("api/v1/forms", root.Attributes["http.route"].TrimStart('/'));
            // From the desk through the registry to the exchange, in that order.
            var services = chain.Select(s => s.Service).Reverse().Distinct().ToList();
            Assert.Equal(["popinfo-collection", "popinfo-registry", "popinfo-exchange"], services);
            Assert.Contains(chain, s => s.Service == "popinfo-registry" && s.Kind == OtlpSpanKind.Consumer);
            Assert.Contains(chain, s => s.Name == "popinfo.collection.registry-command send");

            // Each relay's batch span is a root of its own with a span link to the row's origin, and the row's span links back to it.
            var deskBatch = await BatchSpanAsync(otlp, "popinfo.collection.registry-commands send", traceId, root.SpanId);
            Assert.Contains((deskBatch.TraceId, deskBatch.SpanId), chain.Single(s => s.Name == "popinfo.collection.registry-command send").Links);
            var deliveryBatch = await BatchSpanAsync(otlp, "popinfo.exchange.deliveries publish", traceId, chain[1].SpanId);
            Assert.Contains((deliveryBatch.TraceId, deliveryBatch.SpanId), publish.Links);
            Assert.Equal("popinfo-exchange", deliveryBatch.Service);

            // The registry's relay publishes the change as a child of the same trace (the exchange hears it from there).
            Assert.Contains(otlp.Trace(traceId), s => s.Service == "popinfo-registry" && s.Name == "popinfo.registry.change publish");

            // No identity number, name or phone in any span the services exported.
            await PollAsync(() => otlp.Trace(traceId).Any(s => s.Name == "popinfo.exchange.webhook deliver"), TimeSpan.FromSeconds(30), "the webhook's span");
            var exported = otlp.TracePayloads.Select(p => Encoding.UTF8.GetString(p)).ToList();
            foreach (var secret in new[] { childIdNumber, (string)mother["idNumber"]!, "陈小宝", (string)mother["name"]!, (string)mother["phone"]! })
            {
                Assert.DoesNotContain(exported, p => p.Contains(secret, StringComparison.Ordinal));
            }
        }

        await TestInfrastructure.DropDatabaseAsync(database);
        await TestInfrastructure.DeleteVirtualHostAsync(broker);
    }

    private static string TraceIdOf(string traceParent) => traceParent.Split('-')[1];

    /// <summary>The batch span named <paramref name="name"/> that links to the span (<paramref name="traceId"/>, <paramref name="spanId"/>): a root of another trace.</summary>
    private static async Task<OtlpSpan> BatchSpanAsync(OtlpReceiver otlp, string name, string traceId, string spanId)
    {
        OtlpSpan? batch = null;
        await PollAsync(() => (batch = otlp.Spans.FirstOrDefault(s => s.Name == name && s.Links.Contains((traceId, spanId)))) is not null,
            TimeSpan.FromSeconds(30), $"a '{name}' span linked to {spanId}");
        Assert.Equal("", batch!.ParentSpanId);
        Assert.NotEqual(traceId, batch.TraceId);
        return batch;
    }

    /// <summary>The span named <paramref name="name"/> and its ancestors, child first, as far as they have arrived.</summary>
    private static List<OtlpSpan> Chain(IReadOnlyList<OtlpSpan> trace, string name)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var chain = new List<OtlpSpan>();
        var span = trace.FirstOrDefault(s => s.Name == name);
        while (span is not null && chain.Count < 100)
        {
            chain.Add(span);
            span = span.ParentSpanId.Length > 0 && byId.TryGetValue(span.ParentSpanId, out var parent) ? parent : null;
        }

        return chain;
    }

    private static string Describe(IEnumerable<OtlpSpan> spans) =>
        string.Join("\n", spans.Select(s => $"{s.Service} {s.Kind} '{s.Name}' {s.SpanId} <- {s.ParentSpanId}"));

    private static async Task PollAsync(Func<bool> condition, TimeSpan within, string what, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {within.TotalSeconds} s for {what}." + (state is null ? "" : "\n" + state()));
            }

            await Task.Delay(100);
        }
    }
}
