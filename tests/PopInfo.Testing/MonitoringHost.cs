using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Monitoring;
using PopInfo.Monitoring.Health;
using PopInfo.Monitoring.Samples;

namespace PopInfo.Testing;

/// <summary>
/// The monitoring service in-process, with the tests' issuer; <paramref name="handlers"/> gives a watched service's HTTP
/// handler (an in-process host's), by name — the others are asked over the network at the addresses in the settings; its
/// health probe and its status source (with the monitoring client's token) both go through that handler. Without database
/// settings, the monitoring service's own database is SQLite in a fresh folder.
/// </summary>
public sealed class MonitoringHost(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, Func<HttpMessageHandler>> handlers)
    : WebApplicationFactory<MonitoringEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = TestIssuer.Shared.Settings();
        if (!settings.ContainsKey("PopInfo:Database:Provider"))
        {
            all["PopInfo:Database:Provider"] = "Sqlite";
            all["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-monitoring-" + Guid.NewGuid().ToString("N")[..12]);
        }

        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            foreach (var (service, handler) in handlers)
            {
                services.AddHttpClient(ServiceProbe.ClientName(service)).ConfigurePrimaryHttpMessageHandler(handler);
                services.AddHttpClient(FlowSources.ClientName(service)).ConfigurePrimaryHttpMessageHandler(handler);
                if (service == "registry")
                {
                    services.AddHttpClient(FlowSources.ClientName("registry-quality")).ConfigurePrimaryHttpMessageHandler(handler);
                }
            }
        });
    }
}
