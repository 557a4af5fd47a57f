using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using PopInfo.Collection.Accounts;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Collection.Apis;

/// <summary>Sign in, who am I, sign out; and the administrator's account management.</summary>
public static class SessionApi
{
    public sealed record SignInRequest(string? UserName, string? Password);

    public sealed record SessionView(string UserName, string DisplayName, string Role, string? CommunityCode, string? StreetCode);

    public sealed record PasswordRequest(string? Password);

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Session and accounts").WithGroupName(CollectionModule.Name);

        api.MapPost("/session", async (SignInRequest body, AccountService accounts, [FromKeyedServices(CollectionModule.Name)] RateLimitCounter limits,
            HttpContext http, CancellationToken ct) =>
        {
            var limited = await limits.HitSignInAsync(http, body.UserName, ct);
            if (!limited.Allowed)
            {
                return limited.ToProblem().ToResult();
            }

            var result = await accounts.SignInAsync(body.UserName, body.Password, http.Connection.RemoteIpAddress?.ToString(), ct);
            if (result.Problem is not null)
            {
                return result.Problem.ToResult();
            }

            await DeskAuthentication.SignInAsync(http, result.Account!);
            var a = result.Account!;
            return Results.Ok(new SessionView(a.User_Name, a.Display_Name, a.Role, a.Community_Code, a.Street_Code));
        }).WithName("SignIn").WithSummary("Sign in with user name and password; sets the desk's cookie. Five wrong passwords lock the account for 15 minutes.")
          .Produces<SessionView>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(423).ProducesProblem(429);

        api.MapGet("/session", (HttpContext http) =>
        {
            var user = http.User;
            return Results.Ok(new SessionView(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.GivenName) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "",
                user.FindFirstValue(DeskUser.CommunityClaim), user.FindFirstValue(DeskUser.StreetClaim)));
        }).RequireAuthorization(DeskAuthentication.DeskPolicy).WithName("GetSession").WithSummary("Who is signed in.");

        api.MapDelete("/session", async (HttpContext http, Audit.AuditLog audit, CancellationToken ct) =>
        {
            await audit.WriteAsync(DeskUser.From(http), "sign-out", null, null, "ok", ct: ct);
            await http.SignOutAsync(DeskAuthentication.Scheme);
            return Results.NoContent();
        }).RequireAuthorization(DeskAuthentication.DeskPolicy).WithName("SignOut").WithSummary("Sign out.");

        var admin = api.MapGroup("/accounts").RequireAuthorization(DeskAuthentication.AdminPolicy);
        admin.MapPost("", async (AccountService.NewAccount body, AccountService accounts, HttpContext http, CancellationToken ct) =>
        {
            var (created, problem) = await accounts.CreateAsync(DeskUser.From(http), body, ct);
            return problem is null ? Results.Created($"/api/v1/accounts/{created!.UserName}", created) : problem.ToResult();
        }).WithName("CreateAccount").WithSummary("Administrator: create a collector (communityCode), supervisor (streetCode) or administrator.")
          .Produces<AccountView>(201).ProducesProblem(400).ProducesProblem(409);
        admin.MapGet("", async (AccountService accounts, CancellationToken ct) => Results.Ok(await accounts.ListAsync(ct)))
            .WithName("ListAccounts").WithSummary("Administrator: every account (never a password hash).");
        admin.MapPost("/{userName}/{action:regex(^(unlock|disable|enable|password)$)}",
            async (string userName, string action, PasswordRequest? body, AccountService accounts, HttpContext http, CancellationToken ct) =>
            {
                var problem = await accounts.ChangeAsync(DeskUser.From(http), userName, action, body?.Password, ct);
                return problem is null ? Results.NoContent() : problem.ToResult();
            }).WithName("ChangeAccount").WithSummary("Administrator: unlock, disable, enable, or set a new password ({\"password\": ...}).");
        return app;
    }
}
