using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Benchmarks;

/// <summary>
/// The cost of token validation on the registry's command path: the same registry (in-process, PostgreSQL + RabbitMQ)
/// run alternately with its real bearer-token validation (signature, issuer, audience, lifetime from the issuer's
/// keys) and with validation bypassed — a scheme that trusts any request, defined here and nowhere else: the switch
/// exists only in the benchmark's own build. Runs interleaved (with, without, without, with, …) and medians compared.
/// </summary>
public static class TokenCost
{
    public static async Task RunAsync(Options options)
    {
        var pairs = options.Whole("pairs", 3);
        var seconds = options.Whole("seconds", 20);
        var warmup = options.Whole("warmup", 5);
        var clients = options.Whole("clients", 16);
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("token-cost", options, infrastructure);
        var database = await infrastructure.CreateDatabaseAsync();
        var vhost = await infrastructure.CreateVirtualHostAsync();
        var token = TestIssuer.Shared.RegistryToken();
        // The in-process host's content root: the registry needs no content files, and the benchmark may run from a
        // copy outside the repository (--artifacts-path), where the factory cannot find the solution folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_POPINFO_REGISTRY", AppContext.BaseDirectory);
        var results = new List<(bool Validated, double PerSecond, double P50, double P99)>();
        try
        {
            for (var run = 0; run < pairs * 2; run++)
            {
                // A B B A A B …: a drift over the runs (a warming database, a busier box) falls on both sides alike.
                var validated = (run % 4) is 0 or 3;
                await using var host = new RegistryHost(new Dictionary<string, string?>(RegistryHost.DistributedSettings(database, vhost))
                {
                    ["PopInfo:Database:AllowSuperuser"] = "true",
                    ["Logging:LogLevel:Default"] = "Warning",
                });
                var factory = validated ? (Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Registry.RegistryEntryPoint>)host
                    : host.WithWebHostBuilder(b => b.ConfigureTestServices(Bypass));
                using var http = factory.CreateClient();
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                await LoadAsync(http, clients, TimeSpan.FromSeconds(warmup));
                var (count, latencies) = await LoadAsync(http, clients, TimeSpan.FromSeconds(seconds));
                var result = (validated, count / (double)seconds, Latencies.Percentile(latencies, 50), Latencies.Percentile(latencies, 99));
                results.Add(result);
                Console.WriteLine($"   run {run + 1} {(validated ? "with validation   " : "without validation")}: {result.Item2,8:F1} commands/s  p50 {result.Item3,6:F2} ms  p99 {result.Item4,6:F2} ms  ({Machine.LoadAverage()})");
            }
        }
        finally
        {
            await infrastructure.DropDatabaseAsync(database);
            await infrastructure.DeleteVirtualHostAsync(vhost);
        }

        static double Median(IEnumerable<double> values) => Latencies.Percentile(values, 50);
        var with = results.Where(r => r.Validated).ToList();
        var without = results.Where(r => !r.Validated).ToList();
        var (tw, tn) = (Median(with.Select(r => r.PerSecond)), Median(without.Select(r => r.PerSecond)));
        var (pw, pn) = (Median(with.Select(r => r.P99)), Median(without.Select(r => r.P99)));
        Console.WriteLine($"   medians: with {tw:F1}/s p99 {pw:F2} ms; without {tn:F1}/s p99 {pn:F2} ms");
        Console.WriteLine($"   throughput cost {(tn - tw) / tn * 100:F1} % (target < 5 %); p99 cost {pw - pn:F2} ms (target < 1 ms)");
        Console.WriteLine($"   {Machine.LoadAverage()} at end");
    }

    /// <summary>Closed loop: each client registers a new person and waits for the answer, until the time is up.</summary>
    private static async Task<(int Count, List<double> Latencies)> LoadAsync(HttpClient http, int clients, TimeSpan duration)
    {
        var until = Latencies.Now + Latencies.Ticks(duration);
        var all = new List<double>();
        var count = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var mine = new List<double>();
            while (Latencies.Now < until)
            {
                var start = Latencies.Now;
                using var response = await http.PostAsJsonAsync("/api/v1/persons", People.Resident());
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The registry answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                mine.Add(Latencies.Ms(start, Latencies.Now));
            }

            lock (all)
            {
                all.AddRange(mine);
                count += mine.Count;
            }
        }));
        return (count, all);
    }

    // The benchmark's own switch: the token scheme forwards to a handler that trusts the request, so everything
    // else (authorisation by scope, the source from the token's claims) runs as with validation.
    private static void Bypass(IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TrustingHandler>(TrustingHandler.Name, null);
        services.PostConfigure<JwtBearerOptions>(PlatformAuthentication.Scheme, o => o.ForwardAuthenticate = TrustingHandler.Name);
    }

    private sealed class TrustingHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "benchmark-trusting";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(PlatformClaims.Subject, "popinfo-tests"), new Claim(PlatformClaims.ClientId, "popinfo-tests"),
                new Claim(PlatformClaims.Scope, "registry.read registry.write"), new Claim("aud", "popinfo-registry"),
            ], Name, PlatformClaims.Subject, PlatformClaims.Role)), Name)));
    }
}
