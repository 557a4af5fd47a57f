using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Identity.Server;
using PopInfo.Identity.Accounts;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

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
        // A group of its own: the collection service's client imports, not an administrator.
        var import = app.MapGroup("/api/v1/accounts").WithTags("Accounts").WithGroupName(IdentityModule.Name)
            .RequireScope(PlatformScopes.IdentityImport);
        import.MapPost("/import", ImportAccounts).WithName("IdentityImportAccounts")
            .WithSummary("The desk's accounts moving in (the collection service's client only): at most 500, password hashes kept; an existing user name is never overwritten; desk administrators arrive disabled.");
        return app;
    }

    public sealed record ImportRequest(IReadOnlyList<AccountService.ImportedAccount>? Accounts);

    public sealed record ImportAnswer(IReadOnlyList<AccountService.ImportOutcome> Results);

    public const int MaxImport = 500;

    public static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> ImportAccounts(
        ImportRequest body, ClaimsPrincipal user, HttpContext http, AccountService accounts, IOptions<IdentityOptions> options, CancellationToken ct)
    {
        if (!options.Value.AccountImport)
        {
            return TypedResults.Problem(Problem.Forbidden("import.closed", "Moving accounts in is turned off (PopInfo:Identity:AccountImport)."));
        }

        if (body.Accounts is not { Count: > 0 and <= MaxImport })
        {
            return TypedResults.Problem(Problem.Validation("accounts", "accounts.count", $"Send 1–{MaxImport} accounts."));
        }

        return TypedResults.Ok(new ImportAnswer(await accounts.ImportAsync(Actor.Of(user, http), body.Accounts, ct)));
    }


    public static async Task<Ok<IReadOnlyList<AccountView>>> ListAccounts(AccountStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<AccountView>>([.. (await store.ListAsync(ct)).Select(AccountView.From)]);

    public static async Task<Results<Created<AccountView>, ProblemHttpResult>> CreateAccount(
        AccountService.NewAccount body, ClaimsPrincipal user, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.CreateAsync(Actor.Of(user, http), body, ct);
        return result.Value is not { } created ? result.Refusal!.ToTypedResult() : TypedResults.Created($"/api/v1/accounts/{created.UserName}", created);
    }

    public static async Task<Results<Ok<AccountView>, ProblemHttpResult>> ChangeAccount(
        string userName, AccountService.AccountChange body, ClaimsPrincipal user, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.ChangeAsync(Actor.Of(user, http), userName, body, ct);
        return result.Value is not { } changed ? result.Refusal!.ToTypedResult() : TypedResults.Ok(changed);
    }
}
