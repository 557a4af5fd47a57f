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
    /// Everything from this service only; forms (signing out) to it and on to the identity provider. ECharts sets
    /// element styles from script (allowed by <c>style-src 'self'</c>, which only stops style attributes and elements in markup).
    /// </summary>
    private static string ContentSecurityPolicy(Uri provider) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; " +
        $"form-action 'self' {provider.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; object-src 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // Routing ignores a trailing slash: this answers /dashboard/ too.
        app.MapGet(Path, (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet(Path + "/{file}", (string file, HttpContext http) => Serve(http, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file) =>
        Page.Serve(http, file, ContentSecurityPolicy(DashboardAuthentication.Options(http.RequestServices).Authority!));
}
