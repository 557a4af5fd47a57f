using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Server;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Identity.Pages;

/// <summary>
/// The platform's one sign-in page (Chinese first, English beside it): user name and password, an anti-forgery
/// token, and back to where the person came from — only to a path of this site.
/// </summary>
public static class SignInPage
{
    public const string Path = "/account/sign-in";

    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder app)
    {
        // No prefix: a group's own path mapped as "" would be written with a trailing slash.
        var page = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        page.MapGet(Path, ShowSignInForm);
        page.MapPost(Path, SignInAsync);
        return app;
    }

    /// <summary>The empty form; <paramref name="returnUrl"/> is where to go once signed in (a path of this site only).</summary>
    public static ContentHttpResult ShowSignInForm(HttpContext http, IAntiforgery antiforgery, string? returnUrl) => Render(http, antiforgery, returnUrl, null);

    public static async Task<Results<ContentHttpResult, BadRequest, RedirectHttpResult>> SignInAsync(HttpContext http, IAntiforgery antiforgery, AccountService accounts,
        [FromKeyedServices(IdentityModule.Name)] RateLimitCounterStore limits, CancellationToken ct)
    {
        bool valid;
        try
        {
            valid = await antiforgery.IsRequestValidAsync(http);
        }
        catch (AntiforgeryValidationException ex) when (ex.InnerException is InvalidDataException)
        {
            // ASP.NET Core's form reader refuses a NUL outright: answered as the poisoned text it is, not a 500.
            return Render(http, antiforgery, "/",
                $"用户名或密码含有不允许的字符。 The form holds a character that is not allowed ({PopInfo.Domain.Validation.FreeText.ControlCharacter}).", StatusCodes.Status400BadRequest);
        }

        if (!valid)
        {
            return TypedResults.BadRequest();
        }

        var form = await http.Request.ReadFormAsync(ct);
        var returnUrl = Local(form["returnUrl"]);
        var userName = ((string?)form["userName"])?.Trim() ?? "";
        var password = (string?)form["password"] ?? "";
        // Refused before it reaches the rate-limit counter or the audit, which would carry it into the database.
        if (TextViolations.Of("userName", userName) is { } poisoned)
        {
            return Render(http, antiforgery, returnUrl,
                $"用户名含有不允许的字符。 The user name holds a character that is not allowed ({poisoned.Rule}).", StatusCodes.Status400BadRequest);
        }

        // Every attempt counts, per address and per account name (rate limits), before any password is checked.
        var limited = await limits.HitSignInAsync(http, userName, ct);
        if (!limited.Allowed)
        {
            http.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var wait = (int)Math.Ceiling(limited.RetryAfterSeconds / 60.0);
            return Render(http, antiforgery, returnUrl,
                $"登录尝试过多，请 {wait} 分钟后再试。 Too many sign-in attempts; try again in {wait} min. ({limited.Limit})", StatusCodes.Status429TooManyRequests);
        }

        if (userName.Length == 0 || password.Length == 0)
        {
            return Render(http, antiforgery, returnUrl, "请输入用户名和密码。 Enter your user name and password.");
        }

        var result = await accounts.SignInAsync(userName, password, http.Connection.RemoteIpAddress?.ToString(), ct);
        switch (result.Outcome)
        {
            case AccountService.SignInOutcome.Ok:
                await http.SignInAsync(PeopleSession.Scheme, PeopleSession.Principal(result.Account!));
                return TypedResults.Redirect(returnUrl);
            case AccountService.SignInOutcome.LockedOut:
                var minutes = (int)Math.Ceiling(result.RetryAfter!.Value.TotalMinutes);
                return Render(http, antiforgery, returnUrl, $"账户已锁定，请 {minutes} 分钟后再试。 The account is locked; try again in {minutes} min.", StatusCodes.Status423Locked);
            default:
                return Render(http, antiforgery, returnUrl, "用户名或密码错误。 Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }
    }

    /// <summary>Only a path of this site (no scheme, no host, no "//"): never an open redirect.</summary>
    private static string Local(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && TextViolations.Of("returnUrl", url) is null ? url : "/";

    private static ContentHttpResult Render(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var message = error is null ? "" : $"""<p class="error" role="alert">{WebUtility.HtmlEncode(error)}</p>""";
        var html = $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>登录 · Sign in — PopInfo</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem{"}"}label{"{"}display:block;margin:.8rem 0 .2rem{"}"}input{"{"}width:100%;padding:.5rem;box-sizing:border-box{"}"}button{"{"}margin-top:1.2rem;padding:.6rem 1.2rem{"}"}.error{"{"}color:#b00020{"}"}</style>
            </head><body>
            <h1>人口信息共享平台<br><small>PopInfo — 登录 Sign in</small></h1>
            {message}
            <form method="post" action="{Path}">
            <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(Local(returnUrl))}">
            <label for="userName">用户名 User name</label><input id="userName" name="userName" autocomplete="username" required autofocus>
            <label for="password">密码 Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">登录 Sign in</button>
            </form>
            </body></html>
            """;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
