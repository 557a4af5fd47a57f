using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Domain.Access;
using PopInfo.Identity.Server;

namespace PopInfo.Identity.Pages;

/// <summary>
/// The administrators' page (Chinese and English side by side): people's accounts — roles, regions, disabling,
/// passwords, unlocking — and the platform's clients — departments' clients with their secret shown once,
/// suspension. It calls the same administration API as scripts do, with the administrator's session and the
/// page's anti-forgery token; every action is audited there.
/// </summary>
public static class AdminPage
{
    public const string Path = "/admin";

    public static IEndpointRouteBuilder MapAdminPage(this IEndpointRouteBuilder app)
    {
        // No prefix: a group's own path mapped as "" would be written /admin/ (a route that matches the same, named otherwise).
        var page = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        page.MapGet(Path, RenderAsync);
        page.MapGet(Path + "/admin.js", GetAdminScript);
        page.MapGet(Path + "/admin.css", GetAdminStyles);
        return app;
    }

    public static FileStreamHttpResult GetAdminScript() => Asset("admin.js", "text/javascript; charset=utf-8");

    public static FileStreamHttpResult GetAdminStyles() => Asset("admin.css", "text/css; charset=utf-8");

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> RenderAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var session = await http.AuthenticateAsync(PeopleSession.Scheme);
        if (!session.Succeeded)
        {
            return TypedResults.Redirect($"{SignInPage.Path}?returnUrl={Uri.EscapeDataString(Path)}");
        }

        Secure(http);
        var user = session.Principal!;
        if (!user.HasClaim("role", PlatformRoles.Admin))
        {
            return TypedResults.Content("<!doctype html><meta charset=\"utf-8\"><title>403</title><p>只有管理员可以使用此页面。 Only administrators may use this page.</p>",
                "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        // The token is bound to the administrator, who sends it back with each change through the session.
        http.User = user;
        var tokens = antiforgery.GetAndStoreTokens(http);
        var name = WebUtility.HtmlEncode(user.FindFirst("name")?.Value ?? user.FindFirst("sub")!.Value);
        var roles = string.Join("", PlatformRoles.All.Select(r => $"<option value=\"{r}\">{r}</option>"));
        var html = $$"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="csrf-token" content="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
            <title>账户与客户端管理 · Accounts and clients — PopInfo</title>
            <link rel="stylesheet" href="{{Path}}/admin.css">
            </head><body>
            <header><h1>账户与客户端管理 <small>Accounts and clients</small></h1><p data-testid="who">{{name}} · admin</p></header>
            <p id="message" role="status" data-testid="message"></p>
            <section>
            <h2>人员账户 <small>People's accounts</small></h2>
            <form id="new-account" data-testid="new-account">
            <label>用户名 User name <input name="userName" required></label>
            <label>姓名 Display name <input name="displayName" required></label>
            <label>角色 Role <select name="role">{{roles}}</select></label>
            <label>区划代码 Region code <input name="regionCode" placeholder="collector: 12 位 / supervisor: 9 位"></label>
            <label>初始密码 Password <input name="password" type="password" required minlength="10"></label>
            <button type="submit">新建账户 Create account</button>
            </form>
            <table data-testid="accounts"><thead><tr><th>用户名 User</th><th>姓名 Name</th><th>角色 Role</th><th>区划 Region</th><th>状态 Status</th><th>操作 Actions</th></tr></thead><tbody></tbody></table>
            </section>
            <section>
            <h2>客户端 <small>Clients (services, departments, applications)</small></h2>
            <form id="new-client" data-testid="new-client">
            <label>部门代码 Department code <input name="departmentCode" required pattern="[a-z][a-z0-9\-]{1,30}"></label>
            <label>部门名称 Name <input name="displayName" required></label>
            <button type="submit">新建部门客户端 Create department client</button>
            </form>
            <table data-testid="clients"><thead><tr><th>客户端 Client</th><th>类别 Kind</th><th>名称 Name</th><th>权限 Scopes</th><th>状态 Status</th><th>操作 Actions</th></tr></thead><tbody></tbody></table>
            </section>
            <script src="{{Path}}/admin.js"></script>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static void Secure(HttpContext http)
    {
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
    }

    private static FileStreamHttpResult Asset(string name, string contentType)
    {
        var stream = typeof(AdminPage).Assembly.GetManifestResourceStream("admin/" + name)
            ?? throw new InvalidOperationException($"The page asset {name} is not embedded.");
        return TypedResults.Stream(stream, contentType);
    }
}
