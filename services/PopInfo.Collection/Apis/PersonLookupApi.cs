using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Access;
using PopInfo.Domain.Identity;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Collection.Apis;

/// <summary>The desk's "find a person": by identity number (exact) or by name (a short list, identity numbers masked).</summary>
public static class PersonLookupApi
{
    public sealed record FoundPerson(Guid PersonId, int Version, string IdNumber, string Name, string Sex, string BirthDate,
        string Status, string ResidenceType, string? ResidenceRegionCode, string? ResidenceAddress);

    public static IEndpointRouteBuilder MapPersonLookupApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Find a person").WithGroupName(CollectionModule.Name);
        api.MapGet("/persons", FindPerson)
            .RequireAuthorization(DeskAuthentication.DeskPolicy).RequireRateLimit(CollectionModule.Name, CollectionModule.LookUps)
            .WithName("FindPerson").WithSummary("Find a person in the register by identity number or by name (name search masks identity numbers).");
        return app;
    }

    public static async Task<Results<Ok<IEnumerable<FoundPerson>>, ProblemHttpResult>> FindPerson(
        string? idNumber, string? name, RegistryClient registry, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var user = DeskUser.From(http);
        if (user.Role is not (PlatformRoles.Collector or PlatformRoles.Supervisor))
        {
            return Forms.FormService.Forbidden(null).ToTypedResult();
        }

        if (string.IsNullOrWhiteSpace(idNumber) == string.IsNullOrWhiteSpace(name))
        {
            return Refusal.Invalid("idNumber", "lookup.one-key", "Search by idNumber or by name (one of them).").ToTypedResult();
        }

        try
        {
            IReadOnlyList<RegisteredPerson> found;
            if (!string.IsNullOrWhiteSpace(idNumber))
            {
                var person = await registry.FindByIdNumberAsync(idNumber.Trim(), ct);
                found = person is null ? [] : [person];
            }
            else
            {
                found = await registry.FindByNameAsync(name!.Trim(), ct);
            }

            // Audited by the person ids read, never by the identity number or name searched for.
            await audit.WriteAsync(user, "person.lookup", string.Join(",", found.Select(f => f.PersonId)), user.CommunityCode, "ok",
                idNumber is not null ? "by identity number" : "by name", ct: ct);
            return TypedResults.Ok(found.Select(p => View(p, masked: idNumber is null)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            return Refusal.Unavailable("registry.available", "The register cannot be read now.",
                "The registry does not answer. Forms can still be entered and submitted: they wait and go through when it is back.", retryAfterSeconds: null)
                .ToTypedResult();
        }
    }

    private static FoundPerson View(RegisteredPerson p, bool masked)
    {
        var r = p.Record;
        var idNumber = (string)r["idNumber"]!;
        return new FoundPerson(p.PersonId, p.Version, masked ? IdentityNumber.Mask(idNumber) : idNumber, (string)r["name"]!, p.Sex,
            (string)r["birthDate"]!, p.Status, p.ResidenceType, (string?)r["residenceRegionCode"], masked ? null : (string?)r["residenceAddress"]);
    }
}
