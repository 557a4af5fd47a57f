using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;
using PopInfo.Sharing.Audit;
using PopInfo.Testing;
using static PopInfo.IntegrationTests.Sharing.SharingTestKit;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The access audit of the operations (PostgreSQL + RabbitMQ): one row per person verified or returned and per item not
/// found or not asked, with who, for whom, why, which fields, the outcome and the sequence; and no answer whose rows were
/// not stored — the audit's write alone made to fail, and the database gone in the middle of a request.
/// </summary>
public sealed class AuditTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    [Fact]
    public async Task Every_answer_is_audited_one_row_per_person_or_item_with_its_context()
    {
        await ReadyAsync(fixture);
        var head = await fixture.RegisterAsync(fixture.Communities[0]);
        var member = await fixture.RegisterAsync(fixture.Communities[0], sex: "1");
        await fixture.HouseholdAsync(fixture.Communities[0], head.Id, member.Id);
        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "audited", Grant(AllOperations, new { name = "plain", birthDate = "masked" }, purposes: [Purpose, "social-assistance"]));
        var unknown = UnknownNumber();
        var answers = new List<long>();

        async Task<JsonObject> Ask(string path, object question, string caseReference, string purpose = Purpose)
        {
            var (status, answer) = await client.PostAsync(path, Body(question, purpose, caseReference, endUser: "clerk.li"));
            Assert.Equal(200, status);
            answers.Add((long)answer["asOfSequence"]!);
            return answer;
        }

        await Ask("/api/v1/verify", new { idNumber = head.IdNumber, name = "王芳" }, "A-1");
        await Ask("/api/v1/lookup", new { idNumber = member.IdNumber }, "A-2", "social-assistance");
        await Ask("/api/v1/lookup", new { idNumber = unknown }, "A-3");
        await Ask("/api/v1/batch/verify", new { items = new object[] { new { idNumber = head.IdNumber, name = "王芬" }, new { idNumber = "1", name = "王芳" }, new { idNumber = unknown, name = "王芳" } } }, "A-4");
        await Ask("/api/v1/batch/lookup", new { items = new object[] { new { idNumber = head.IdNumber }, new { name = "王芳" } } }, "A-5");
        await Ask("/api/v1/household", new { idNumber = member.IdNumber }, "A-6");

        var rows = await AuditRowsAsync(fixture, "audited");
        var expected = new (string Operation, string Purpose, string Case, Guid? Person, string? Fields, string Outcome)[]
        {
            ("verify", Purpose, "A-1", head.Id, null, "match"),
            ("lookup", "social-assistance", "A-2", member.Id, "birthDate,name", "returned"),
            ("lookup", Purpose, "A-3", null, null, "not-found"),
            ("batch-verify", Purpose, "A-4", head.Id, null, "no-match"),
            ("batch-verify", Purpose, "A-4", null, null, "invalid"),
            ("batch-verify", Purpose, "A-4", null, null, "no-match"),
            ("batch-lookup", Purpose, "A-5", head.Id, "birthDate,name", "returned"),
            ("batch-lookup", Purpose, "A-5", null, null, "invalid"),
            ("household", Purpose, "A-6", head.Id, "birthDate,name", "returned"),
            ("household", Purpose, "A-6", member.Id, "birthDate,name", "returned"),
        };
        Assert.Equal(expected.OrderBy(e => e.Case, StringComparer.Ordinal).ThenBy(e => e.Person?.ToString() ?? "", StringComparer.Ordinal).ThenBy(e => e.Outcome, StringComparer.Ordinal),
            rows.Select(r => (r.Operation, r.Purpose, r.CaseReference, r.PersonId, r.Fields, r.Outcome))
                .OrderBy(e => e.CaseReference, StringComparer.Ordinal).ThenBy(e => e.PersonId?.ToString() ?? "", StringComparer.Ordinal).ThenBy(e => e.Outcome, StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(("dept-audited", "clerk.li"), (r.ClientId, r.EndUser)));

        // The rows of one request share its id and the sequence its answer carried; requests differ.
        var byCase = rows.GroupBy(r => r.CaseReference).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(6, byCase.Select(g => Assert.Single(g.Select(r => r.RequestId).Distinct())).Distinct().Count());
        Assert.Equal(answers, byCase.Select(g => Assert.Single(g.Select(r => r.AsOfSequence).Distinct())!.Value));
        Assert.Equal(await fixture.RegistryLastAsync(), answers[0]);

        // The chain verifies.
        Assert.True((await fixture.Service<AccessAuditStore>().VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task An_answer_is_not_sent_when_its_audit_write_fails()
    {
        await ReadyAsync(fixture);
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.CaughtUpAsync();
        using var client = await DepartmentAsync(fixture, "audit-fails", Grant(AllOperations, new { name = "plain", idNumber = "plain", phone = "plain", birthDate = "plain" }));
        var audit = fixture.Service<AccessAudit>();
        var attempts = 0;
        audit.BeforeWrite = (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the audit's storage refuses this batch (test)");
        };
        try
        {
            var questions = new (string Path, object Question)[]
            {
                ("/api/v1/verify", new { idNumber = person.IdNumber, name = "王芳" }),
                ("/api/v1/lookup", new { idNumber = person.IdNumber }),
                ("/api/v1/lookup", new { name = "王芳", birthDate = person.BirthDate }),
                ("/api/v1/batch/verify", new { items = new[] { new { idNumber = person.IdNumber, name = "王芳" } } }),
                ("/api/v1/batch/lookup", new { items = new[] { new { idNumber = person.IdNumber } } }),
                ("/api/v1/household", new { idNumber = person.IdNumber }),
            };
            foreach (var (path, question) in questions)
            {
                using var response = await client.PostAsJsonAsync(path, Body(question));
                var text = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("service.unavailable", (string?)JsonNode.Parse(text)!["rule"]);
                Assert.NotNull(response.Headers.RetryAfter);
                AssertNoPersonalData(text, person.IdNumber, person.BirthDate);
            }

            Assert.Equal(6, attempts);
        }
        finally
        {
            audit.BeforeWrite = null;
        }

        Assert.Empty(await AuditRowsAsync(fixture, "audit-fails"));

        // Items are counted with their audit rows: the six requests whose audit failed counted none.
        Assert.Equal(0L, (long)(await client.GetJsonAsync("/api/v1/usage")).Body["used"]!);

        // Once the audit stores again, the same question is answered and audited.
        var (status, answer) = await client.PostAsync("/api/v1/lookup", Body(new { idNumber = person.IdNumber }));
        Assert.Equal(200, status);
        Assert.Equal(person.IdNumber, (string?)answer["people"]![0]!["idNumber"]);
        Assert.Equal([(person.Id, "returned")], (await AuditRowsAsync(fixture, "audit-fails")).Select(r => (r.PersonId, r.Outcome)));
    }

    /// <summary>
    /// The sharing host reaches PostgreSQL through a TCP relay of the test's own; the request is held inside its audit
    /// transaction (the answer computed), the relay then cuts every connection and stops listening — for this host, the
    /// database has stopped — and the request goes on. The shared server itself is never stopped: other test classes use it.
    /// </summary>
    [Fact]
    public async Task An_answer_is_not_sent_when_the_database_stops_mid_request()
    {
        var person = await fixture.RegisterAsync(fixture.Communities[0]);
        await fixture.StopSharingAsync();
        var direct = new NpgsqlConnectionStringBuilder(fixture.Database);
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var relayed = new NpgsqlConnectionStringBuilder(fixture.Database) { Host = "127.0.0.1", Port = relay.Port };
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            fixture.StartSharing(new Dictionary<string, string?> { ["PopInfo:Database:ConnectionString"] = relayed.ConnectionString });
            await fixture.CaughtUpAsync();
            using var client = await DepartmentAsync(fixture, "db-stops", Grant(AllOperations, new { name = "plain", idNumber = "plain", birthDate = "plain" }));
            Assert.True(relay.Connections > 0, "the sharing host reaches its database through the relay");
            fixture.Service<AccessAudit>().BeforeWrite = async (_, _) =>
            {
                held.TrySetResult();
                await release.Task;
            };

            var asking = client.PostAsJsonAsync("/api/v1/lookup", Body(new { idNumber = person.IdNumber }));
            await Task.WhenAny(held.Task, asking).WaitAsync(TimeSpan.FromSeconds(30));
            if (!held.Task.IsCompleted)
            {
                Assert.Fail(asking.IsCompleted ? $"answered before its audit was written: {(int)(await asking).StatusCode}" : "the audit's write was not reached");
            }

            relay.Stop();
            release.SetResult();

            using var response = await asking.WaitAsync(TimeSpan.FromSeconds(60));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("service.unavailable", (string?)JsonNode.Parse(text)!["rule"]);
            AssertNoPersonalData(text, person.IdNumber, person.BirthDate);
        }
        finally
        {
            release.TrySetResult();
            relay.Stop();
            await fixture.StopSharingAsync();
        }

        // The database as it is (straight, not through the relay): the request left no row.
        fixture.StartSharing();
        await fixture.CaughtUpAsync();
        Assert.Empty(await AuditRowsAsync(fixture, "db-stops"));
        Assert.True((await fixture.Service<AccessAuditStore>().VerifyAsync(CancellationToken.None)).Intact);
    }

    private static void AssertNoPersonalData(string text, string idNumber, string birthDate)
    {
        Assert.DoesNotContain(idNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber[..6], text, StringComparison.Ordinal);
        Assert.DoesNotContain("王芳", text, StringComparison.Ordinal);
        Assert.DoesNotContain(birthDate, text, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", text, StringComparison.Ordinal);
    }

    /// <summary>A TCP relay to one address; <see cref="Stop"/> stops listening and resets every connection it carries.</summary>
    private sealed class TcpRelay : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stopping = new();
        private readonly List<TcpClient> open = [];
        private readonly Task accepting;
        private readonly string host;
        private readonly int port;

        public TcpRelay(string host, int port)
        {
            this.host = host;
            this.port = port;
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            accepting = AcceptAsync();
        }

        public int Port { get; }

        public int Connections
        {
            get
            {
                lock (open)
                {
                    return open.Count / 2;
                }
            }
        }

        public void Stop()
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            stopping.Cancel();
            listener.Stop();
            lock (open)
            {
                foreach (var client in open)
                {
                    try
                    {
                        // A reset, not a polite close (a connection a pump has closed already has no socket left).
                        if (client.Client is { } socket)
                        {
                            socket.LingerState = new LingerOption(true, 0);
                        }
                    }
                    catch (SocketException)
                    {
                    }
                    catch (ObjectDisposedException)
                    {
                    }

                    client.Dispose();
                }

                open.Clear();
            }
        }

        public async ValueTask DisposeAsync()
        {
            Stop();
            await accepting;
            stopping.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stopping.IsCancellationRequested)
            {
                TcpClient inbound;
                try
                {
                    inbound = await listener.AcceptTcpClientAsync(stopping.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(host, port, stopping.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }

                lock (open)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        inbound.Dispose();
                        outbound.Dispose();
                        return;
                    }

                    open.Add(inbound);
                    open.Add(outbound);
                }

                _ = PumpAsync(inbound, outbound);
                _ = PumpAsync(outbound, inbound);
            }
        }

        private static async Task PumpAsync(TcpClient from, TcpClient to)
        {
            try
            {
                await from.GetStream().CopyToAsync(to.GetStream());
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
            {
            }
            finally
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }
}
