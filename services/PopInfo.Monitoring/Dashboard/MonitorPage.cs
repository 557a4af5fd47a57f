using PopInfo.ServiceDefaults.Pages;

namespace PopInfo.Monitoring.Dashboard;

/// <summary>
/// The operators' and auditors' dashboard at <c>/monitor</c> (docs/monitoring.md, "Dashboard"): static HTML, CSS (with a
/// print stylesheet) and JavaScript embedded in the assembly (Dashboard/*.html, *.css, *.js), and the analytics dashboard's
/// vendored Apache ECharts, linked into this assembly from its one place (not copied); served as every embedded page is
/// (ServiceDefaults' <see cref="EmbeddedPage"/>), on the monitoring port only. No script is inline and nothing comes from
/// another host; the page holds no figures itself — everything comes from the monitoring API, with the person's session.
/// </summary>
public static class MonitorPage
{
    public const string Path = "/monitor";

    private const string ResourcePrefix = "monitor/";

    private static readonly EmbeddedPage Page = new(typeof(MonitorPage).Assembly, ResourcePrefix);

    public static IEndpointRouteBuilder MapMonitorPage(this IEndpointRouteBuilder app) =>
        Page.MapSignInPage(app, Path, services => MonitorAuthentication.Options(services).Authority!);
}
