using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Sharing.AccessReport;
using PopInfo.Sharing.Audit;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing.AccessReport;

/// <summary>
/// A person's access report (POST /api/v1/access-report) on PostgreSQL and RabbitMQ: the sharing service's own audit
/// (verified by one department, looked up by another, and by a third under a withheld purpose), the real registry's reads
/// (asked on the auditor's behalf, compared with the registry's own answer), the exchange's deliveries (a stub with
/// canned answers: a purpose withheld by the domain and one by setting), a source that does not answer named as such,
/// the auditor's question in the access audit, and who may ask.
/// </summary>
public sealed class AccessReportTests(AccessReportFixture fixture) : IClassFixture<AccessReportFixture>
{
    private const string Auditor = "auditor-li";
    private const string AuditorClient = "popinfo-audit-desk";

    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private static string AuditorToken(string role = PlatformRoles.Auditor, string subject = Auditor) =>
        TestIssuer.Shared.Token([PlatformScopes.SharingAudit], AuditorClient, subject: subject, role: role);

    [Fact]
    public async Task The_report_lists_every_source_oldest_first_and_withholds_what_the_law_keeps_from_the_person()
    {
        var person = await fixture.RegisterAsync();
        var other = await fixture.RegisterAsync();
        await GrantAsync("school", ["verify"], "school-enrolment");
        await GrantAsync("clinic", ["lookup"], "medical-identity");
        await GrantAsync("police", ["lookup"], "criminal-investigation");
        await fixture.CaughtUpAsync();

        // The registry: one read of the person by the tests' own client.
        Assert.Equal(200, (await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/{person.Id}")).Status);

        // The sharing service: verified by the school, looked up by the clinic and the police; the other person by the clinic.
        await OperationAsync("school", "/api/v1/verify", new { idNumber = person.IdNumber, name = person.Name, purpose = "school-enrolment", caseReference = "SCH-2026-1", endUser = "clerk.wang" });
        await OperationAsync("clinic", "/api/v1/lookup", new { idNumber = person.IdNumber, purpose = "medical-identity", caseReference = "MED-7" });
        await OperationAsync("police", "/api/v1/lookup", new { idNumber = person.IdNumber, purpose = "criminal-investigation", caseReference = "POL-9", endUser = "officer.zhao" });
        await OperationAsync("clinic", "/api/v1/lookup", new { idNumber = other.IdNumber, purpose = "medical-identity", caseReference = "MED-8" });

        // The exchange: three events of the person's changes — one plain, one under a purpose withheld by setting, one by the domain.
        fixture.ExchangeAnswer = (_, _) => AccessReportFixture.Json(HttpStatusCode.OK, new JsonObject
        {
            ["personId"] = person.Id,
            ["truncated"] = false,
            ["deliveries"] = new JsonArray(
                Delivery("dept-hr", "人社局", "social-insurance", T0, new JsonObject { ["published"] = true, ["acknowledged"] = true }, null, []),
                Delivery("dept-tax", "税务局", AccessReportFixture.ConfiguredWithheld, T0.AddSeconds(1), null,
                    new JsonObject { ["state"] = "delivered", ["attempts"] = 1, ["lastAttemptAt"] = T0.AddSeconds(2) }, []),
                Delivery("dept-police", "公安局", "criminal-investigation", T0.AddSeconds(3), null, null,
                    [new JsonObject { ["auditId"] = 5, ["at"] = T0.AddSeconds(4), ["actor"] = "dept-police" }])),
        }.ToJsonString());
        fixture.ExchangeRequests.Clear();

        using var auditor = fixture.ClientWithToken(AuditorToken());
        using var response = await auditor.PostAsJsonAsync("/api/v1/access-report", new { idNumber = person.IdNumber, caseReference = "REQ-88" });
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonNode.Parse(raw)!.AsObject();
        Assert.Equal(person.Id, Guid.Parse((string)report["personId"]!));
        Assert.Equal(Auditor, (string)report["auditor"]!);
        Assert.Equal("zh", (string)report["language"]!);
        Assert.Equal(["sharing:True:", "exchange:True:", "registry:True:"],
            report["sources"]!.AsArray().Select(s => $"{s!["name"]}:{(bool)s["ok"]!}:{s["error"]}"));

        var entries = report["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var times = entries.Select(e => DateTimeOffset.Parse((string)e["at"]!)).ToList();
        Assert.Equal(times.Order(), times);

        // Sharing: exactly the person's three accesses, the police's withheld — no department, user, purpose or case reference.
        var sharing = entries.Where(e => (string)e["source"]! == "sharing").ToList();
        Assert.Equal(3, sharing.Count);
        Assert.Equal(
            [
                "False|dept-school|clerk.wang|verify|school-enrolment|入学资格审核|SCH-2026-1|match",
                "False|dept-clinic||lookup|medical-identity|就医身份核验|MED-7|returned",
                "True|||||||",
            ],
            sharing.Select(e => string.Join('|', (bool)e["withheld"]!, e["department"], e["user"], e["operation"], e["purpose"], e["purposeName"], e["caseReference"], e["outcome"])));
        var withheld = sharing[2];
        Assert.Null(withheld["department"]);
        Assert.Null(withheld["caseReference"]);
        Assert.Null(withheld["detail"]);

        // Exchange: the plain delivery by its queue; the two withheld ones only when.
        var exchange = entries.Where(e => (string)e["source"]! == "exchange").ToList();
        Assert.Equal(
            [
                $"{T0:O}|False|dept-hr|queue|social-insurance|acknowledged",
                $"{T0.AddSeconds(2):O}|True||||",
                $"{T0.AddSeconds(4):O}|True||||",
            ],
            exchange.Select(e => string.Join('|', DateTimeOffset.Parse((string)e["at"]!).ToString("O"), (bool)e["withheld"]!, e["department"], e["channel"], e["purpose"], e["outcome"])));
        Assert.Equal(3, (int)report["withheld"]!);
        foreach (var secret in new[] { "dept-police", "POL-9", "officer.zhao", "criminal-investigation", "dept-tax", "税务局", "公安局", AccessReportFixture.ConfiguredWithheld })
        {
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        }

        // The exchange was asked once, with the service's token, for this person on the auditor's behalf.
        var asked = Assert.Single(fixture.ExchangeRequests);
        Assert.StartsWith("Bearer ", asked.Authorization, StringComparison.Ordinal);
        var askedBody = JsonNode.Parse(asked.Body)!;
        Assert.Equal(person.Id, Guid.Parse((string)askedBody["personId"]!));
        Assert.Equal(Auditor, (string)askedBody["onBehalfOf"]!);

        // Registry: exactly the reads the registry itself lists, plus, now, the sharing service's question for the auditor.
        var registry = entries.Where(e => (string)e["source"]! == "registry").ToList();
        Assert.Contains(registry, e => (string?)e["department"] == "popinfo-tests" && (string?)e["operation"] == "person.get");
        using var registryAuditor = fixture.Registry.CreateClient();
        registryAuditor.DefaultRequestHeaders.Authorization = new("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.RegistryAudit], "popinfo-audit-desk", subject: "auditor-check", role: PlatformRoles.Auditor));
        var (status, log) = await registryAuditor.PostAsync("/api/v1/persons/access-log", new { personId = person.Id, limit = 1000 });
        Assert.Equal(200, status);
        var reads = log["reads"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(
            reads.SkipLast(1).Select(r => $"{DateTimeOffset.Parse((string)r["at"]!):O}|{r["client"]}|{r["action"]}|{r["via"]}"),
            registry.Select(e => $"{DateTimeOffset.Parse((string)e["at"]!):O}|{e["department"]}|{e["operation"]}|{e["channel"]}"));
        var itsQuestion = reads[^1];
        Assert.Equal("popinfo-sharing", (string)itsQuestion["client"]!);
        Assert.Equal("access-log.read", (string)itsQuestion["action"]!);
        Assert.StartsWith($"for {Auditor};", (string)itsQuestion["detail"]!, StringComparison.Ordinal);

        // The auditor's question is in the access audit: after the three operations, with the auditor as end user.
        var rows = await fixture.Service<AccessAuditStore>().OfPersonAsync(person.Id, CancellationToken.None);
        Assert.Equal(["verify", "lookup", "lookup", "access-report"], rows.Select(r => r.Operation));
        var question = rows[^1];
        Assert.Equal((AuditorClient, Auditor, "access-report", "REQ-88", "returned"), (question.ClientId, question.EndUser, question.Purpose, question.CaseReference, question.Outcome));

        // The next report shows it, in English.
        using var again = await auditor.PostAsJsonAsync("/api/v1/access-report", new { personId = person.Id, language = "en" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var next = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        var nextSharing = next["entries"]!.AsArray().Where(e => (string)e!["source"]! == "sharing").ToList();
        Assert.Equal(4, nextSharing.Count);
        Assert.Equal("checking a child's eligibility for school enrolment", (string)nextSharing[0]!["purposeName"]!);
        Assert.Equal($"{AuditorClient}|{Auditor}|access-report|REQ-88",
            $"{nextSharing[3]!["department"]}|{nextSharing[3]!["user"]}|{nextSharing[3]!["operation"]}|{nextSharing[3]!["caseReference"]}");
    }

    [Fact]
    public async Task A_source_that_does_not_answer_is_named_and_the_rest_of_the_report_still_comes()
    {
        var person = await fixture.RegisterAsync();
        await GrantAsync("school", ["verify"], "school-enrolment");
        await fixture.CaughtUpAsync();
        await OperationAsync("school", "/api/v1/verify", new { idNumber = person.IdNumber, name = person.Name, purpose = "school-enrolment", caseReference = "SCH-3" });
        Assert.Equal(200, (await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/{person.Id}")).Status);
        using var auditor = fixture.ClientWithToken(AuditorToken());

        // The exchange refuses (503, a problem naming its rule) …
        fixture.ExchangeAnswer = (_, _) => AccessReportFixture.Json(HttpStatusCode.ServiceUnavailable,
            """{"type":"about:blank","title":"busy","status":503,"rule":"service.unavailable"}""", "application/problem+json");
        var report = await ReportAsync(auditor, person.Id);
        Assert.Equal(["sharing:True:", "exchange:False:exchange answered 503 (service.unavailable)", "registry:True:"],
            report["sources"]!.AsArray().Select(s => $"{s!["name"]}:{(bool)s["ok"]!}:{s["error"]}"));
        Assert.Equal(["verify"], report["entries"]!.AsArray().Where(e => (string)e!["source"]! == "sharing").Select(e => (string)e!["operation"]!));
        // The sharing service may have filled a gap in its read model from the registry's feed, which reads (and audits)
        // the person too: a feed read is not what this test is about, and its timing is the projector's.
        Assert.Equal(["popinfo-tests person.get"], report["entries"]!.AsArray().Where(e => (string)e!["source"]! == "registry")
            .Select(e => $"{e!["department"]} {e["operation"]}").Where(e => e != "popinfo-sharing changes.read"));
        Assert.DoesNotContain(report["entries"]!.AsArray(), e => (string)e!["source"]! == "exchange");

        // … or cannot be reached at all.
        fixture.ExchangeAnswer = (_, _) => null;
        report = await ReportAsync(auditor, person.Id);
        var exchange = report["sources"]!.AsArray().Single(s => (string)s!["name"]! == "exchange")!;
        Assert.False((bool)exchange["ok"]!);
        Assert.StartsWith("HttpRequestException:", (string)exchange["error"]!, StringComparison.Ordinal);
        Assert.Equal(["verify", "access-report"], report["entries"]!.AsArray().Where(e => (string)e!["source"]! == "sharing").Select(e => (string)e!["operation"]!));
        fixture.ExchangeAnswer = (_, _) => AccessReportFixture.Json(HttpStatusCode.OK, """{"personId":null,"deliveries":[],"truncated":false}""");
    }

    [Fact]
    public async Task Only_an_auditor_may_ask_and_the_question_is_checked_and_audited_even_when_nobody_is_found()
    {
        var body = new { idNumber = "11010519491231002X" };
        using (var anonymous = fixture.ClientWithToken(null))
        {
            var (status, problem) = await anonymous.PostAsync("/api/v1/access-report", body);
            Assert.Equal((401, "token.required"), (status, (string?)problem["rule"]));
        }

        foreach (var token in new[]
        {
            TestIssuer.Shared.Token([PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId("school")),
            TestIssuer.Shared.Token([PlatformScopes.SharingAdmin], "popinfo-admin-page", subject: "admin", role: PlatformRoles.Admin),
            AuditorToken(role: PlatformRoles.Planner, subject: "planner-wu"),
            // An auditor's token for the sharing service without sharing.audit.
            TestIssuer.Shared.Token([PlatformScopes.RegistryAudit, PlatformScopes.ExchangeAudit], AuditorClient, subject: Auditor, role: PlatformRoles.Auditor,
                audiences: [PlatformScopes.Audience("sharing")]),
        })
        {
            using var client = fixture.ClientWithToken(token);
            var (status, problem) = await client.PostAsync("/api/v1/access-report", body);
            Assert.Equal((403, "token.role"), (status, (string?)problem["rule"]));
        }

        await fixture.CaughtUpAsync();
        using var auditor = fixture.ClientWithToken(AuditorToken());
        var cases = new (object Body, string Field, string Rule)[]
        {
            (new { }, "personId", "required"),
            (new { idNumber = "11010519491231002X", personId = Guid.NewGuid() }, "idNumber", "person.one-of"),
            (new { idNumber = "110105194912310021" }, "idNumber", "id-number.check-character"),
            (new { personId = Guid.NewGuid(), language = "fr" }, "language", "language.supported"),
            (new { personId = Guid.NewGuid(), caseReference = "REQ\u0007" }, "caseReference", "request.case-reference"),
        };
        foreach (var (invalid, field, rule) in cases)
        {
            var (status, problem) = await auditor.PostAsync("/api/v1/access-report", invalid);
            Assert.Equal(400, status);
            Assert.Contains(problem["violations"]!.AsArray(), e => (string?)e!["field"] == field && (string?)e["rule"] == rule);
            Assert.DoesNotContain("110105194912310021", problem.ToJsonString(), StringComparison.Ordinal);
        }

        // A number nobody holds: 404, and the question is audited all the same (no person named).
        var before = await CountAuditAsync();
        var (notFound, _) = await auditor.PostAsync("/api/v1/access-report", body);
        Assert.Equal(404, notFound);
        Assert.Equal(before + 1, await CountAuditAsync());
    }

    [Fact]
    public async Task An_auditor_signed_in_at_the_page_gets_the_report_and_the_audit_names_the_page_and_the_auditor()
    {
        var person = await fixture.RegisterAsync();
        using var browser = fixture.Sharing.CreateDefaultClient(new CookieContainerHandler());
        await DeskSignIn.SignInCookiesAsync(browser, TestIssuer.Shared.People.Add(new TestPerson("auditor-wang", "王审计", PlatformRoles.Auditor, null)),
            AccessReportAuthentication.SignInPath);
        var (sessionStatus, session) = await browser.GetJsonAsync("/api/v1/access-report/session");
        Assert.Equal((200, "auditor-wang", "auditor"), (sessionStatus, (string?)session["userName"], (string?)session["role"]));

        var (status, report) = await browser.PostAsync("/api/v1/access-report", new { personId = person.Id });
        Assert.Equal(200, status);
        Assert.Equal("auditor-wang", (string)report["auditor"]!);
        var question = (await fixture.Service<AccessAuditStore>().OfPersonAsync(person.Id, CancellationToken.None))[^1];
        Assert.Equal((AccessReportAuthentication.DefaultClientId, "auditor-wang", "access-report", "person-request"),
            (question.ClientId, question.EndUser, question.Operation, question.CaseReference));
    }

    [Theory]
    [InlineData("planner", false, "role.access-report")]
    [InlineData("admin", false, "role.access-report")]
    [InlineData("auditor", true, "region.none")]
    public async Task A_person_the_page_is_not_for_is_refused_at_sign_in_naming_the_rule(string role, bool withRegion, string rule)
    {
        using var browser = fixture.Sharing.CreateDefaultClient(new CookieContainerHandler());
        var hint = TestIssuer.Shared.People.Add(new TestPerson($"refused-{role}-{withRegion}".ToLowerInvariant(), "拒绝", role, withRegion ? fixture.Community : null));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DeskSignIn.SignInCookiesAsync(browser, hint, AccessReportAuthentication.SignInPath));
        Assert.Contains("/access-report?signIn=" + rule, error.Message, StringComparison.Ordinal);
        Assert.Equal(401, (await browser.GetJsonAsync("/api/v1/access-report/session")).Status);
        Assert.Equal(401, (await browser.PostAsync("/api/v1/access-report", new { personId = Guid.NewGuid() })).Status);
    }

    [Fact]
    public async Task The_page_and_its_print_stylesheet_are_served_under_a_strict_policy()
    {
        using var client = fixture.ClientWithToken(null);
        using var page = await client.GetAsync("/access-report");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("href=\"/access-report/access-report-print.css\" media=\"print\"", html, StringComparison.Ordinal);
        using var print = await client.GetAsync("/access-report/access-report-print.css");
        Assert.Equal(HttpStatusCode.OK, print.StatusCode);
        Assert.Contains("@page", await print.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var purposes = await client.GetFromJsonAsync<JsonObject>("/access-report/purposes.json");
        Assert.Equal("刑事案件侦查", (string)purposes!["criminal-investigation"]!["zh"]!);

        // Without a session the page's API refuses the browser.
        using var session = await client.GetAsync("/api/v1/access-report/session");
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
    }

    private static JsonObject Delivery(string department, string name, string purpose, DateTimeOffset projectedAt, JsonObject? queue, JsonObject? webhook, JsonNode?[] feedReads) => new()
    {
        ["department"] = department,
        ["departmentName"] = name,
        ["sequence"] = 1,
        ["registrySequence"] = 1,
        ["eventType"] = "person.changed",
        ["subscriptionId"] = Guid.NewGuid(),
        ["purpose"] = purpose,
        ["projectedAt"] = projectedAt,
        ["queue"] = queue,
        ["webhook"] = webhook,
        ["feedReads"] = new JsonArray(feedReads),
    };

    private static async Task<JsonObject> ReportAsync(HttpClient auditor, Guid person)
    {
        var (status, report) = await auditor.PostAsync("/api/v1/access-report", new { personId = person });
        Assert.Equal(200, status);
        return report;
    }

    private async Task<long> CountAuditAsync()
    {
        var table = fixture.Service<AccessAuditStore>();
        return (await table.VerifyAsync(CancellationToken.None)).ChainedRows;
    }

    private async Task GrantAsync(string code, string[] operations, string purpose)
    {
        using var admin = fixture.ClientWithToken(TestIssuer.Shared.Token([PlatformScopes.SharingAdmin], "popinfo-admin-page", subject: "admin"));
        var response = await admin.PutAsJsonAsync($"/api/v1/grants/dept-{code}", new
        {
            operations,
            fields = new Dictionary<string, string> { ["name"] = "plain" },
            regions = new[] { fixture.Community },
            purposes = new[] { purpose },
            requestsPerMinute = 600,
            dailyQuota = 10_000,
            mayTellNotFound = false,
        });
        if (response.StatusCode == HttpStatusCode.PreconditionRequired)
        {
            return; // Granted by an earlier test of the class.
        }

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task OperationAsync(string code, string path, object body)
    {
        using var department = fixture.ClientWithToken(TestIssuer.Shared.Token([PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId(code)));
        var (status, answer) = await department.PostAsync(path, body);
        Assert.True(status == 200, $"{path}: {status} {answer}");
    }
}
