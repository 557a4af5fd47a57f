using PopInfo.ServiceDefaults.Pages;

namespace PopInfo.Analytics.Dashboard;

/// <summary>
/// The planners' dashboard at <c>/dashboard</c> (docs/dashboard.md): static HTML, CSS and JavaScript embedded in the
/// assembly (Dashboard/*.html, *.css, *.js) and Apache ECharts 6.1.0 vendored beside them
/// (Dashboard/vendor/echarts), served as every embedded page is (ServiceDefaults' <see cref="EmbeddedPage"/>): on the
/// analytics port only. No script is inline and nothing is loaded from another host (<c>script-src 'self'</c>); the
/// page holds no figures itself — everything comes from the API, with the planner's session.
/// </summary>
public static class DashboardPage
{
    public const string Path = "/dashboard";

    private const string ResourcePrefix = "dashboard/";

    private static readonly EmbeddedPage Page = new(typeof(DashboardPage).Assembly, ResourcePrefix);

    /// <summary>
    /// The page and its files under <see cref="EmbeddedPage.SignInPagePolicy"/>: everything from this service only; forms
    /// (signing out) to it and on to the identity provider.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app) =>
        Page.MapSignInPage(app, Path, services => DashboardAuthentication.Options(services).Authority!);
}
