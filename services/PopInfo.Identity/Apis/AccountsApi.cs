using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Identity.Server;
using PopInfo.Identity.Accounts;

namespace PopInfo.Identity.Apis;

/// <summary>People's accounts, for administrators: create, list, change role, region, status or password.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/accounts").WithTags("Accounts").WithGroupName(IdentityModule.Name)
            .RequireIdentityAdmin();
        api.MapGet("", ListAccounts).WithName("IdentityListAccounts").WithSummary("Every account (never a password hash).");
        api.MapPost("", CreateAccount).WithName("IdentityCreateAccount")
            .WithSummary("A new account: userName, displayName, role (admin, collector, supervisor, planner, operator, auditor), regionCode, password.");
        api.MapPatch("/{userName}", ChangeAccount).WithName("IdentityChangeAccount")
            .WithSummary("Change displayName, role, regionCode, disabled, password or unlock, naming expectedVersion. Role, region, status and password changes end the account's sessions.");
        return app;
    }


    public static async Task<Ok<IReadOnlyList<AccountView>>> ListAccounts(AccountStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<AccountView>>([.. (await store.ListAsync(ct)).Select(AccountView.From)]);

    public static async Task<Results<Created<AccountView>, ProblemHttpResult>> CreateAccount(
        AccountService.NewAccount body, ClaimsPrincipal user, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var (created, problem) = await accounts.CreateAsync(Actor.Of(user, http), body, ct);
        return created is null ? TypedResults.Problem(problem!) : TypedResults.Created($"/api/v1/accounts/{created.UserName}", created);
    }

    public static async Task<Results<Ok<AccountView>, ProblemHttpResult>> ChangeAccount(
        string userName, AccountService.AccountChange body, ClaimsPrincipal user, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var (changed, problem) = await accounts.ChangeAsync(Actor.Of(user, http), userName, body, ct);
        return changed is null ? TypedResults.Problem(problem!) : TypedResults.Ok(changed);
    }
}
