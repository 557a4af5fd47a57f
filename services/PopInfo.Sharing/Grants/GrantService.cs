using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// The administrator's work on grants: each change checked against the domain's rules and the version the administrator
/// read, then written with its change-trail entry (before and after) in one transaction.
/// </summary>
public sealed class GrantService(GrantStore store, GrantCache cache, RegionCatalogue regions, TimeProvider clock)
{
    /// <summary>The form of a client id a grant is kept under (the provider's client ids: dept-{code} for departments).</summary>
    public static bool IsClientId(string clientId) =>
        clientId.Length is >= 2 and <= 100 && clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Creates or replaces a grant. A new grant is version 1; a replaced one the next version.</summary>
    public async Task<Result<GrantView>> PutAsync(SharingCaller caller, string clientId, GrantRequest request, GrantVersionCheck check, CancellationToken ct)
    {
        if (!IsClientId(clientId))
        {
            return ClientIdInvalid();
        }

        var grant = request.ToGrant(clientId);
        var violations = grant.Problems(regions);
        if (violations.Count > 0)
        {
            return Refusal.Invalid([.. violations.Select(v => new RuleViolation(v.Field, v.Rule, v.Message))]);
        }

        return await ChangeAsync(caller, clientId, check, versionRequired: true, current =>
        {
            var next = new GrantView(clientId, [.. grant.Operations.Order(StringComparer.Ordinal)], grant.Fields, grant.Regions,
                [.. grant.Purposes.Order(StringComparer.Ordinal)], grant.RequestsPerMinute, grant.DailyQuota, grant.MayTellNotFound,
                current?.Status ?? GrantStatus.Active, (current?.Version ?? 0) + 1, clock.GetUtcNow(), caller.Actor);
            return (next, current is null ? GrantChanges.Create : GrantChanges.Replace);
        }, ct);
    }

    /// <summary>Suspends (or activates again) a grant: a suspended department is refused every operation; its grant stays.</summary>
    public Task<Result<GrantView>> SetStatusAsync(SharingCaller caller, string clientId, bool active, GrantVersionCheck check, CancellationToken ct) =>
        ChangeAsync(caller, clientId, check, versionRequired: false, current => current is null
            ? null
            : (current with { Status = active ? GrantStatus.Active : GrantStatus.Suspended, Version = current.Version + 1, UpdatedAt = clock.GetUtcNow(), UpdatedBy = caller.Actor },
                active ? GrantChanges.Activate : GrantChanges.Suspend), ct);

    /// <summary>Removes a grant (its change trail stays). Needs the version read.</summary>
    public Task<Result<GrantView>> DeleteAsync(SharingCaller caller, string clientId, GrantVersionCheck check, CancellationToken ct) =>
        ChangeAsync(caller, clientId, check, versionRequired: true, current => current is null ? null : (null, GrantChanges.Delete), ct);

    /// <summary>
    /// One change, one transaction (<see cref="GrantStore.ChangeAsync"/> does the unit of work): reads the grant locked, checks
    /// the version, applies <paramref name="change"/> (null: nothing to change from that state; a null grant: delete), writes it
    /// and the trail entry, commits. Answers the grant after (or as it was,
    /// for a deletion).
    /// </summary>
    private async Task<Result<GrantView>> ChangeAsync(SharingCaller caller, string clientId, GrantVersionCheck check, bool versionRequired,
        Func<GrantView?, (GrantView? Next, string Action)?> change, CancellationToken ct)
    {
        if (!IsClientId(clientId))
        {
            return ClientIdInvalid();
        }

        Result<GrantView>? answer = null;
        var outcome = await store.ChangeAsync(clientId, current =>
        {
            if (change(current) is not { } planned)
            {
                answer = Refusal.NotFound($"There is no grant for the client '{clientId}'.");
                return null;
            }

            if (check.Refusal(current, versionRequired) is { } refusal)
            {
                answer = SharingRefusals.Version(refusal.Failure, current?.Version, refusal.Detail);
                return null;
            }

            if (planned.Next is { } next && current is not null && next.Status == current.Status && planned.Action is GrantChanges.Suspend or GrantChanges.Activate)
            {
                // Already so: nothing changes, nothing to record.
                answer = current;
                return null;
            }

            answer = planned.Next ?? current!;
            return new GrantWrite(planned.Next, planned.Action, caller);
        }, clock, ct);

        switch (outcome)
        {
            case GrantChangeOutcome.CreatedMeanwhile:
                // Another administrator created it between our read and our insert.
                return SharingRefusals.Version(RefusalKind.VersionConflict, null, "The grant was created meanwhile by someone else. Read it and resend.");
            case GrantChangeOutcome.Written:
                cache.Forget();
                break;
        }

        return answer!;
    }

    private static Result<GrantView> ClientIdInvalid() => Refusal.Invalid(
        [new RuleViolation("clientId", "grant.client-id", "A client id is 2 to 100 characters: letters, digits and - _ . (a department's is dept-{code}).")]);
}
