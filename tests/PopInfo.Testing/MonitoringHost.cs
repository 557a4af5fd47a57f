using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Monitoring;
using PopInfo.Monitoring.Health;

namespace PopInfo.Testing;

/// <summary>
/// The monitoring service in-process, with the tests' issuer; <paramref name="handlers"/> gives a watched service's HTTP
/// handler (an in-process host's), by name — the others are asked over the network at the addresses in the settings.
/// </summary>
public sealed class MonitoringHost(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, Func<HttpMessageHandler>> handlers)
    : WebApplicationFactory<MonitoringEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = TestIssuer.Shared.Settings();
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
            }
        });
    }
}
