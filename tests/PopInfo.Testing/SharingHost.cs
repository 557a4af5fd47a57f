using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Sharing;
using PopInfo.Sharing.People;

namespace PopInfo.Testing;

/// <summary>The sharing service in-process on a real database (PostgreSQL as the test server's superuser, or SQLite) and the in-memory bus.</summary>
/// <remarks>
/// With <paramref name="registryHandler"/> its read model reads the registry through it (a registry host in the test's
/// process); without one it tries the registry's default address and its operations answer 503 until built.
/// </remarks>
public sealed class SharingHost(IReadOnlyDictionary<string, string?> settings, Func<HttpMessageHandler>? registryHandler = null) : WebApplicationFactory<SharingEntryPoint>
{
    /// <summary>PostgreSQL: the given database (its schema <c>sharing</c>), one role for everything (development's <c>AllowSuperuser</c>).</summary>
    public static SharingHost OnPostgreSql(string database) => new(new Dictionary<string, string?>
    {
        ["PopInfo:Database:Provider"] = "PostgreSql",
        ["PopInfo:Database:ConnectionString"] = database,
        ["PopInfo:Database:AllowSuperuser"] = "true",
        ["PopInfo:Bus:Transport"] = "InMemory",
    });

    /// <summary>SQLite in a fresh folder: the embedded mode's database.</summary>
    public static SharingHost OnSqlite() => new(new Dictionary<string, string?>
    {
        ["PopInfo:Database:Provider"] = "Sqlite",
        ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-sharing-" + Guid.NewGuid().ToString("N")[..12]),
        ["PopInfo:Bus:Transport"] = "InMemory",
    });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = TestIssuer.Shared.Settings();
        all["PopInfo:Sharing:FeedCheckInterval"] = "00:00:00.200";
        all["PopInfo:Sharing:GapWait"] = "00:00:01";
        foreach (var (key, value) in TestRateLimits.Generous.Concat(settings))
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }

        if (registryHandler is not null)
        {
            builder.ConfigureTestServices(s => s.AddHttpClient<PeopleRegistryReader>().ConfigurePrimaryHttpMessageHandler(registryHandler));
        }
    }

    /// <summary>An administrator's client (<c>sharing.admin</c>).</summary>
    public HttpClient CreateAdminClient() => ClientWithToken(TestIssuer.Shared.Token([PlatformScopes.SharingAdmin], "popinfo-admin-page", subject: "admin"));

    /// <summary>A department's client: its client <c>dept-{code}</c> with <c>sharing.read</c>.</summary>
    public HttpClient CreateDepartmentClient(string code) =>
        ClientWithToken(TestIssuer.Shared.Token([PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId(code)));

    /// <summary>A client sending the given token (none: no Authorization header).</summary>
    public HttpClient ClientWithToken(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
