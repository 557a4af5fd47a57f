using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Exchange.PersonAccess;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Apis;

/// <summary>A person's deliveries for auditors: the exchange's source of the access report (docs/exchange.md).</summary>
public static class PersonDeliveriesApi
{
    public static IEndpointRouteBuilder MapPersonDeliveriesApi(this IEndpointRouteBuilder app)
    {
        // exchange.audit only (a token, no deprecated key): it says who got a person's changes, never their content.
        var api = app.MapGroup("/api/v1/persons").WithTags("Access report").WithGroupName(ExchangeModule.Name).RequireScope(PlatformScopes.ExchangeAudit);
        api.MapPost("/deliveries", ReadPersonDeliveries).WithName("ReadPersonDeliveries")
            .WithSummary("Every department that received one person's changes (personId in the body), by queue, webhook or feed, with when and why. Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Ok<PersonDeliveries>, ProblemHttpResult>> ReadPersonDeliveries(
        PersonDeliveriesRequest body, ClaimsPrincipal user, PersonDeliveriesQuery query, HttpContext http, CancellationToken ct)
    {
        var outcome = await query.ReadAsync(body, user, http.Connection.RemoteIpAddress?.ToString(), ct);
        return outcome.Value is { } result ? TypedResults.Ok(result) : outcome.Refusal!.ToTypedResult();
    }
}
