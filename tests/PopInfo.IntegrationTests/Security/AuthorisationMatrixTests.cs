using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Sharing;
using PopInfo.Host;
using PopInfo.ServiceDefaults.Routing;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;
using Xunit.Abstractions;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// The embedded host with one caller of every kind: no credentials; a token per scope for its own service, and the
/// same scopes for another audience; a token and a key for each of two departments (A and B); the exchange's
/// administrator and status keys; desk sessions of a collector of community A and of B, the supervisor of A's street
/// and of another street, and an administrator, a planner's dashboard session and an operator's and an auditor's monitoring
/// dashboard sessions (signed in at the tests' issuer); people's tokens for the
/// data-quality list of a collector of A and of B, of A's street's supervisor and of another's. Every request names community A or department A's resources:
/// A's draft form and import, A's street, department A's code.
/// </summary>
public sealed class AuthorisationMatrixFixture : IAsyncLifetime
{
    public EmbeddedPlatform Platform { get; } = new();

    public string CommunityA { get; } = RegionCatalogue.Wuxi.Communities[0].Code;
    public string CommunityB { get; } = RegionCatalogue.Wuxi.Communities[1].Code;
    public string StreetA { get; } = RegionCatalogue.Wuxi.Communities[0].ParentCode!;
    public string OtherStreet { get; } = RegionCatalogue.Wuxi.Communities.First(c => c.ParentCode != RegionCatalogue.Wuxi.Communities[0].ParentCode).ParentCode!;
    public const string DepartmentA = "matrix-a";
    public const string DepartmentB = "matrix-b";
    public Guid FormA { get; private set; }
    public Guid ImportA { get; private set; }

    /// <summary>Every caller by name; the matrix's vocabulary admits them by these names.</summary>
    public IReadOnlyDictionary<string, Action<HttpRequestMessage>> Callers { get; private set; } = null!;

    /// <summary>A client that keeps no cookies: each request carries exactly its caller's credentials.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = Platform.CreateDefaultClient(new Uri("http://127.0.0.1:5100"), new TestLocalPort.Handler());
        var callers = new Dictionary<string, Action<HttpRequestMessage>> { ["none"] = _ => { } };
        var issuer = TestIssuer.Shared;
        foreach (var scope in PlatformScopes.AudienceOf.Keys.Where(s => s != PlatformScopes.ExchangeDepartment))
        {
            callers[$"token {scope}"] = Bearer(issuer.Token([scope]));
        }

        // The right scope for the wrong service: another service's audience, which the embedded host accepts as well
        // (one process validates the tokens of all its services).
        var registry = PlatformScopes.Audience("registry");
        var exchange = PlatformScopes.Audience("exchange");
        foreach (var scope in PlatformScopes.AudienceOf.Keys.Where(s => s != PlatformScopes.ExchangeDepartment))
        {
            var elsewhere = PlatformScopes.AudienceOf[scope] == registry ? exchange : registry;
            callers[$"token {scope} for {elsewhere}"] = Bearer(issuer.Token([scope], audiences: [elsewhere]));
        }

        callers[$"token department A for {registry}"] = Bearer(issuer.Token([PlatformScopes.ExchangeDepartment], PlatformScopes.DepartmentClientId(DepartmentA), audiences: [registry]));
        callers["token department A"] = Bearer(issuer.Token([PlatformScopes.ExchangeDepartment], PlatformScopes.DepartmentClientId(DepartmentA)));
        callers["token department B"] = Bearer(issuer.Token([PlatformScopes.ExchangeDepartment], PlatformScopes.DepartmentClientId(DepartmentB)));
        callers["key admin"] = Bearer(ExchangeHost.AdminKey);
        callers["key status"] = Bearer(Platform.Services.GetRequiredService<IConfiguration>()["PopInfo:Exchange:StatusKey"]!);
        callers["key metrics"] = Bearer(TestSecrets.MetricsScrapeToken);
        callers["key department A"] = Bearer(await CreateDepartmentAsync(DepartmentA));
        callers["key department B"] = Bearer(await CreateDepartmentAsync(DepartmentB));

        foreach (var (name, role, region) in new[]
                 {
                     ("admin", "admin", null), ("collector A", "collector", CommunityA), ("collector B", "collector", CommunityB),
                     ("supervisor A", "supervisor", StreetA), ("supervisor other", "supervisor", OtherStreet),
                 })
        {
            var hint = issuer.People.Add(new TestPerson("matrix-" + name.Replace(' ', '-'), name, role, region));
            callers["desk " + name] = await SignInAsync(hint);
        }

        // A planner at the dashboard (the analytics service's own sign-in, at the same issuer).
        var planner = issuer.People.Add(new TestPerson("matrix-planner", "planner", "planner", null));
        using (var dashboard = Platform.ClientOf(5105))
        {
            var cookies = await DeskSignIn.SignInCookiesAsync(dashboard, planner);
            var cookie = string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("popinfo.dashboard", StringComparison.Ordinal)));
            callers["dashboard planner"] = r => r.Headers.Add("Cookie", cookie);
        }

        // An operator: a person's token of role operator for the monitoring service.
        callers["token operator"] = Bearer(issuer.Token([], "popinfo-matrix", subject: "matrix-operator-token", role: "operator",
            audiences: [PlatformScopes.Audience("monitoring")]));

        // An auditor: a person's token with role auditor and sharing.audit, and a session of the access report's page.
        callers["token auditor"] = Bearer(issuer.Token([PlatformScopes.SharingAudit], "popinfo-matrix", subject: "matrix-auditor-token", role: "auditor"));
        // An auditor at the monitoring service (the audit search): a person's token of role auditor for its audience, no scope.
        callers["token monitoring auditor"] = Bearer(issuer.Token([], "popinfo-matrix", subject: "matrix-monitoring-auditor", role: "auditor",
            audiences: [PlatformScopes.Audience("monitoring")]));
        var auditor = issuer.People.Add(new TestPerson("matrix-auditor", "auditor", "auditor", null));
        using (var reportPage = Platform.ClientOf(5104))
        {
            var cookies = await DeskSignIn.SignInCookiesAsync(reportPage, auditor, "/access-report/sign-in");
            var cookie = string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("popinfo.access-report", StringComparison.Ordinal)));
            callers["access-report auditor"] = r => r.Headers.Add("Cookie", cookie);
        }

        // An operator and an auditor at the monitoring dashboard (the monitoring service's own sign-in, at the same issuer); their
        // changing calls carry the page's header, as the page's own do.
        foreach (var role in (string[])["operator", "auditor"])
        {
            var person = issuer.People.Add(new TestPerson("matrix-monitor-" + role, role, role, null));
            using var monitorPage = Platform.ClientOf(5106);
            var cookies = await DeskSignIn.SignInCookiesAsync(monitorPage, person, "/monitor/sign-in");
            var cookie = string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("popinfo.monitor", StringComparison.Ordinal)));
            callers["monitor " + role] = r =>
            {
                r.Headers.Add("Cookie", cookie);
                r.Headers.Add("X-Requested-With", "popinfo-monitor");
            };
        }

        // The data-quality list (docs/data-quality.md): people's tokens of role collector or supervisor with registry.quality.issues,
        // admitted only for their own community or their street's communities.
        foreach (var (name, role, region) in new[]
                 {
                     ("collector A", "collector", CommunityA), ("collector B", "collector", CommunityB),
                     ("supervisor A", "supervisor", StreetA), ("supervisor other", "supervisor", OtherStreet),
                 })
        {
            callers["token quality " + name] = Bearer(issuer.Token([PlatformScopes.RegistryQualityIssues], "popinfo-matrix",
                subject: "matrix-quality-" + name.Replace(' ', '-'), role: role, region: region));
        }

        Callers = callers;

        // The sharing service's operations have a second gate after the scope: the caller's grant. The sharing.read
        // caller has one, so that what it meets past the scope is the request's own rules, as department A past its code.
        using (var grant = new HttpRequestMessage(HttpMethod.Put, "http://127.0.0.1:5104/api/v1/grants/popinfo-tests")
        {
            Content = JsonContent(new
            {
                operations = SharingOperations.All, fields = new { name = "plain" }, regions = new[] { StreetA }, purposes = new[] { "school-enrolment" },
                requestsPerMinute = 600, dailyQuota = 100_000,
            }),
        })
        {
            Bearer(issuer.Token([PlatformScopes.SharingAdmin], subject: "admin"))(grant);
            await Expect(200, grant);
        }

        FormA = await CreatedIdAsync(callers["desk collector A"], "/api/v1/forms", JsonContent(new Dictionary<string, object> { ["formType"] = "birth", ["data"] = new Dictionary<string, string>() }), "id");
        ImportA = await CreatedIdAsync(callers["desk collector A"], "/api/v1/forms/import", Csv, "importId");
    }

    /// <summary>A CSV of one row, as the desk's import takes it.</summary>
    public static StringContent Csv => new("formType,idNumber\ndeath,320205195001010017\n", Encoding.UTF8, "text/csv");

    public static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static Action<HttpRequestMessage> Bearer(string credential) =>
        request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);

    private async Task<string> CreateDepartmentAsync(string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5103/api/v1/departments")
        {
            Content = JsonContent(new { code, name = code + " bureau", contact = "duty desk, 0510-12345678" }),
        };
        Bearer(ExchangeHost.AdminKey)(request);
        return (string)(await Expect(201, request))["credentials"]!["apiKey"]!;
    }

    /// <summary>Signs in at the desk (through the tests' issuer) and keeps the session's cookies, sent by hand with each request.</summary>
    private async Task<Action<HttpRequestMessage>> SignInAsync(string hint)
    {
        using var browser = Platform.ClientOf(5102);
        var cookies = await DeskSignIn.SignInCookiesAsync(browser, hint);
        var cookie = string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("popinfo.desk", StringComparison.Ordinal)));
        return r => r.Headers.Add("Cookie", cookie);
    }

    private async Task<Guid> CreatedIdAsync(Action<HttpRequestMessage> caller, string path, HttpContent content, string idProperty)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5102" + path) { Content = content };
        caller(request);
        return Guid.Parse((string)(await Expect(201, request))[idProperty]!);
    }

    private async Task<JsonObject> Expect(int status, HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode == status
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Platform.DisposeAsync();
    }
}

/// <summary>
/// Issue 9's authorisation matrix: every endpoint of the running embedded host (from its endpoint data source, so
/// also those the OpenAPI documents leave out) has exactly one row in docs/security.md and every row an endpoint;
/// and each endpoint, called by every kind of caller, lets through exactly the callers its row admits.
/// </summary>
public sealed class AuthorisationMatrixTests(AuthorisationMatrixFixture fixture, ITestOutputHelper output) : IClassFixture<AuthorisationMatrixFixture>
{
    /// <summary>The closed vocabulary of the "who may call" column: each term and the callers it admits (docs/security.md explains them).</summary>
    private Dictionary<string, IReadOnlyList<string>> Vocabulary()
    {
        var terms = new Dictionary<string, IReadOnlyList<string>>
        {
            ["public"] = fixture.Callers.Keys.ToList(),
            ["key:admin"] = ["key admin"],
            ["key:status"] = ["key status"],
            ["key:metrics"] = ["key metrics"],
            ["department"] = ["token department A", "token department B"],
            ["department-own"] = ["token department A"],
            ["key:department"] = ["key department A", "key department B"],
            ["key:department-own"] = ["key department A"],
            ["desk:any"] = ["desk admin", "desk collector A", "desk collector B", "desk supervisor A", "desk supervisor other"],
            ["desk:collector"] = ["desk collector A", "desk collector B"],
            ["desk:collector-own"] = ["desk collector A"],
            ["desk:supervisor"] = ["desk supervisor A", "desk supervisor other"],
            ["desk:supervisor-own"] = ["desk supervisor A"],
            ["desk:reader-own"] = ["desk collector A", "desk supervisor A"],
            ["dashboard:planner"] = ["dashboard planner"],
            ["role:auditor"] = ["token auditor"],
            ["role:operator"] = ["token operator"],
            ["role:monitoring-auditor"] = ["token auditor", "token monitoring auditor"],
            ["access-report:auditor"] = ["access-report auditor"],
            ["monitor:operator"] = ["monitor operator"],
            ["monitor:auditor"] = ["monitor auditor"],
            ["role:quality-reader-own"] = ["token quality collector A", "token quality supervisor A"],
        };
        foreach (var scope in PlatformScopes.AudienceOf.Keys.Where(s => s != PlatformScopes.ExchangeDepartment))
        {
            terms["scope:" + scope] = ["token " + scope];
        }

        return terms;
    }

    private static IReadOnlyList<MatrixRow> Table() =>
        AuthorisationMatrix.Read(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "security.md")));

    private sealed record HostEndpoint(string Port, string Methods, RouteEndpoint Endpoint)
    {
        public string Route => Endpoint.RoutePattern.RawText ?? "";
        public string Key => AuthorisationMatrix.Key(Port, Methods, Route);
    }

    private List<HostEndpoint> Endpoints() =>
        fixture.Platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => new HostEndpoint(
                e.Metadata.GetMetadata<LocalPortMetadata>()?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any",
                AuthorisationMatrix.MethodsText(e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods), e))
            .ToList();

    private static string ServiceOf(string port) => port switch
    {
        "any" => "every",
        "5100" => "host",
        _ => EmbeddedPorts.Services.Single(s => s.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == port).Name,
    };

    [Fact]
    public void Every_endpoint_of_the_host_has_one_row_and_every_row_an_endpoint()
    {
        var endpoints = Endpoints();
        var rows = Table();
        var vocabulary = Vocabulary();
        var problems = new List<string>();

        var keys = endpoints.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var e in endpoints.Where(e => !rows.Any(r => r.Key == e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            problems.Add($"endpoint without a row: | {e.Port} | {ServiceOf(e.Port)} | {e.Methods} | `{e.Route.Replace("|", "\\|", StringComparison.Ordinal)}` | ? |");
        }

        foreach (var r in rows)
        {
            if (!keys.Contains(r.Key))
            {
                problems.Add($"line {r.Line}: a row without an endpoint: {r.Key}");
            }

            if (rows.Count(o => o.Key == r.Key) > 1)
            {
                problems.Add($"line {r.Line}: a second row for {r.Key}");
            }

            if (keys.Contains(r.Key) && r.Service != ServiceOf(r.Port))
            {
                problems.Add($"line {r.Line}: port {r.Port} is the service '{ServiceOf(r.Port)}', not '{r.Service}'");
            }

            foreach (var term in r.Who.Where(t => !vocabulary.ContainsKey(t)))
            {
                problems.Add($"line {r.Line}: '{term}' is not a term of the matrix's vocabulary ({string.Join(", ", vocabulary.Keys.Order(StringComparer.Ordinal))})");
            }

            if (r.Who.Count == 0 || r.Who.Contains("public") && r.Who.Count > 1)
            {
                problems.Add($"line {r.Line}: name who may call it ('public' stands alone)");
            }
        }

        Assert.True(problems.Count == 0, $"docs/security.md, {AuthorisationMatrix.Heading}, and the host's {endpoints.Count} endpoints disagree:\n" + string.Join('\n', problems));
    }

    private sealed record Answer(string Port, string Method, string Route, string Caller, bool Admitted, int Status, string? Rule);

    [Fact]
    public async Task Every_endpoint_lets_through_exactly_the_callers_its_row_admits()
    {
        var clock = Stopwatch.StartNew();
        var vocabulary = Vocabulary();
        var rows = Table().ToDictionary(r => r.Key, StringComparer.Ordinal);
        var calls = Endpoints().Where(e => rows.ContainsKey(e.Key))
            .SelectMany(e => (e.Methods == "*" ? ["GET"] : e.Methods.Split(", ")).Select(method => (Endpoint: e, Method: method)))
            .ToList();
        var answers = new ConcurrentBag<Answer>();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (call, ct) =>
        {
            var row = rows[call.Endpoint.Key];
            var admitted = row.Who.SelectMany(t => vocabulary.GetValueOrDefault(t) ?? []).ToHashSet(StringComparer.Ordinal);
            foreach (var (caller, apply) in fixture.Callers)
            {
                using var request = Request(call.Endpoint, call.Method);
                apply(request);
                using var response = await fixture.Client.SendAsync(request, ct);
                answers.Add(new Answer(call.Endpoint.Port, call.Method, call.Endpoint.Route, caller, admitted.Contains(caller), (int)response.StatusCode,
                    await RuleAsync(response, ct)));
            }
        });

        var wrong = answers.Where(a => a.Admitted ? a.Status is 401 or 403 or 500 : a.Caller == "none" ? a.Status != 401 : a.Status is not (401 or 403))
            .OrderBy(a => a.Port, StringComparer.Ordinal).ThenBy(a => a.Route, StringComparer.Ordinal).ThenBy(a => a.Method, StringComparer.Ordinal)
            .ThenBy(a => a.Caller, StringComparer.Ordinal)
            .ToList();
        output.WriteLine($"{calls.Count} endpoint methods × {fixture.Callers.Count} callers = {answers.Count} requests in {clock.Elapsed.TotalSeconds:0.0} s; {wrong.Count} answers differ from the table.");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {answers.Count} answers differ from docs/security.md, {AuthorisationMatrix.Heading}:\n" + Format(wrong));
    }

    /// <summary>The request for an endpoint: route values naming A's resources, a minimal body, community A in the desk's query.</summary>
    private HttpRequestMessage Request(HostEndpoint endpoint, string method)
    {
        var port = endpoint.Port == "any" ? "5100" : endpoint.Port;
        var path = new StringBuilder();
        foreach (var segment in endpoint.Endpoint.RoutePattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => Uri.EscapeDataString(RouteValue(endpoint.Route, parameter.Name)),
                    _ => throw new InvalidOperationException($"An unknown route part in {endpoint.Route}."),
                });
            }
        }

        var desk = port == "5102";
        var query = desk ? "?communityCode=" + fixture.CommunityA : endpoint.Route == "/api/v1/quality/issues" ? "?community=" + fixture.CommunityA : "";
        var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{port}{(path.Length == 0 ? "/" : path)}{query}");
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = desk && endpoint.Route.EndsWith("/forms/import", StringComparison.Ordinal)
                ? AuthorisationMatrixFixture.Csv
                : AuthorisationMatrixFixture.JsonContent(desk ? new Dictionary<string, string> { ["communityCode"] = fixture.CommunityA } : new Dictionary<string, string>());
        }

        return request;
    }

    /// <summary>A plausible value for each route parameter; the resources named are community A's and department A's.</summary>
    private string RouteValue(string route, string name) => name switch
    {
        "id" when route.StartsWith("/api/v1/forms/", StringComparison.Ordinal) => fixture.FormA.ToString(),
        "id" when route.StartsWith("/api/v1/imports/", StringComparison.Ordinal) => fixture.ImportA.ToString(),
        "id" when route.StartsWith("/api/v1/alerts/", StringComparison.Ordinal) => "1",
        "id" => "0190a5a4-7d4c-7b6e-9c1f-3a2b1c0d9e8f",
        "formId" => fixture.FormA.ToString(),
        "communityCode" => fixture.CommunityA,
        "regionCode" => fixture.CommunityA,
        "countyCode" => "320213",
        "streetCode" => fixture.StreetA,
        "day" => "2026-01-05",
        "userName" or "clientId" => "matrix-nobody",
        "action" => "unlock",
        "code" => AuthorisationMatrixFixture.DepartmentA,
        "kind" => "matrix-none",
        "registrySequence" => "1",
        "recordId" => "matrix-record",
        "idNumber" => "320205198601010048",
        "file" => "index.html",
        "name" => "age-pyramid",
        _ => throw new InvalidOperationException($"No value for the route parameter {{{name}}} of {route}: add one here."),
    };

    private static async Task<string?> RuleAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["rule"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Format(IReadOnlyList<Answer> wrong)
    {
        var table = new StringBuilder();
        table.AppendLine($"{"port",-5} {"method",-6} {"route",-62} {"caller",-40} {"expected",-16} got");
        foreach (var a in wrong)
        {
            var expected = a.Admitted ? "through" : a.Caller == "none" ? "401" : "401 or 403";
            table.AppendLine($"{a.Port,-5} {a.Method,-6} {a.Route,-62} {a.Caller,-40} {expected,-16} {a.Status}{(a.Rule is null ? "" : " " + a.Rule)}");
        }

        return table.ToString();
    }
}
