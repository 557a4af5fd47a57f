using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Analytics;
using PopInfo.Analytics.Dashboard;
using PopInfo.Collection;
using PopInfo.Identity;
using PopInfo.Identity.Pages;
using PopInfo.Monitoring;
using PopInfo.Monitoring.Dashboard;

namespace PopInfo.Host;

/// <summary>The start page at http://127.0.0.1:5100: every service, its API document and its health.</summary>
public static class StartPage
{
    public static IEndpointRouteBuilder MapStartPage(this IEndpointRouteBuilder app)
    {
        app.MapGroup("").ExcludeFromDescription().MapGet("/", RenderStartPage);
        return app;
    }

    public static ContentHttpResult RenderStartPage(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var rows = new StringBuilder();
        foreach (var s in EmbeddedPorts.Services)
        {
            var url = $"http://{host}:{s.Port}";
            // Services with a page for people as well as an API: the collectors' desk, the planners' dashboard,
            // the administrators' page, the operators' and auditors' dashboard.
            var page = s.Name switch
            {
                CollectionModule.Name => $"""<br><a href="{url}{DeskPage.Path}">采集台 · collector's desk</a>""",
                AnalyticsModule.Name => $"""<br><a href="{url}{DashboardPage.Path}">决策分析 · planners' dashboard</a>""",
                IdentityModule.Name => $"""<br><a href="{url}{AdminPage.Path}">账户与客户端管理 · accounts and clients</a>""",
                MonitoringModule.Name => $"""<br><a href="{url}{MonitorPage.Path}">监控管理 · operators' and auditors' dashboard</a>""",
                _ => "",
            };
            rows.Append($"""
                <tr><td><a href="{url}/api/v1/service">{WebUtility.HtmlEncode(s.Name)}</a></td>
                <td>{WebUtility.HtmlEncode(s.Title)}<br><small>{WebUtility.HtmlEncode(s.Description)}</small>{page}</td>
                <td><a href="{url}/swagger">Swagger UI</a> · <a href="{url}/swagger/{s.Name}/swagger.json">OpenAPI</a></td>
                <td><a href="{url}/health/ready">ready?</a></td></tr>
                """);
        }

        // Demo mode: where the demo accounts are and which page each role uses.
        var accounts = DemoMode.AccountsFile(context.RequestServices.GetRequiredService<IConfiguration>());
        var demo = File.Exists(accounts)
            ? $"""
                <p><strong>Demo city.</strong> One account per role; user names and passwords are in <code>{WebUtility.HtmlEncode(accounts)}</code>.
                Collectors and supervisors sign in at the <a href="http://{host}:{CollectionModule.Port}{DeskPage.Path}">desk</a>, planners open the
                <a href="http://{host}:{AnalyticsModule.Port}/dashboard">analytics dashboard</a>, operators and auditors the
                <a href="http://{host}:{MonitoringModule.Port}{MonitorPage.Path}">monitoring dashboard</a>, the administrator the
                <a href="http://{host}:{IdentityModule.Port}{AdminPage.Path}">accounts page</a>.</p>
                """
            : "";
        var html = $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>PopInfo 人口信息共享平台</title>
            <style>body{"{"}font-family:system-ui,sans-serif;margin:2rem;max-width:70rem{"}"}td{"{"}padding:.4rem .8rem;border-bottom:1px solid #ddd;vertical-align:top{"}"}</style>
            </head><body>
            <h1>PopInfo 人口信息共享平台 <small>— one database, five platforms (一库五平台)</small></h1>
            <p>Embedded mode: one process, SQLite files under <code>./data</code>, in-memory bus.</p>
            {demo}
            <table><thead><tr><th>service</th><th>what it is</th><th>API</th><th>health</th></tr></thead><tbody>
            {rows}
            </tbody></table>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
