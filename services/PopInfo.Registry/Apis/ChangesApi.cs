using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Apis;

public static class ChangesApi
{
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/changes").WithTags("Change feed").WithGroupName(RegistryModule.Name);
        api.MapGet("", GetChanges).WithName("GetChanges").RequireScope(PlatformScopes.RegistryRead)
            .WithSummary("The change log after sequence 'after', in order, at most 'limit' entries; never skips an entry.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        // Positions only: the platform's readers of the feed, and the monitoring service's client.
        api.MapGet("/status", GetStatus).WithName("GetChangeRelayStatus").RequireAnyScope(PlatformScopes.RegistryRead, PlatformScopes.RegistryMonitor)
            .WithSummary("The last sequence written, the last published to the bus, and the backlog between them.");
        return app;
    }

    public static async Task<Results<Ok<ChangePage>, ProblemHttpResult>> GetChanges(
        ClaimsPrincipal user, PersonReadStore store, ReadAuditStore audit, CancellationToken ct, [AsParameters] AfterPaging paging = default)
    {
        var checkedPaging = paging.Checked(MaxLimit, "a sequence number");
        if (checkedPaging.Refusal is { } refusal)
        {
            return refusal.ToTypedResult();
        }

        var (limit, after, _, _) = checkedPaging.Value!;
        var changes = await store.ChangesAsync(after, limit, ct);
        // The feed carries whole persons: its reads are audited by the stretch of sequences (the persons are in the log).
        await audit.WriteAsync(user, "changes.read", [], changes.Count == 0 ? $"after {after}: none" : $"sequences {changes[0].Sequence}-{changes[^1].Sequence}",
            changes.Count == 0 ? null : (changes[0].Sequence, changes[^1].Sequence), ct);
        return TypedResults.Ok(new ChangePage(changes, changes.Count > 0 ? changes[^1].Sequence : after));
    }

    public static async Task<Ok<RelayStatus>> GetStatus(PersonReadStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.RelayStatusAsync(ct));
}

/// <summary>A page of the feed; ask for the next with <c>after = next</c>.</summary>
public sealed record ChangePage(IReadOnlyList<PersonChanged> Changes, long Next);
