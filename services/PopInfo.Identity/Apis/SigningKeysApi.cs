using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Audit;
using PopInfo.Identity.Server;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Identity.Apis;

/// <summary>The provider's signing and encryption keys, for administrators: their times, and "rotate now".</summary>
public static class SigningKeysApi
{
    public static IEndpointRouteBuilder MapSigningKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/signing-keys").WithTags("Signing keys").WithGroupName(IdentityModule.Name)
            .RequireIdentityAdmin();
        api.MapGet("", ListKeys).WithName("IdentityListSigningKeys")
            .WithSummary("Every key (never its material): use, created (published), activates, retires, and its state now.");
        api.MapPost("/rotate", RotateNow).WithName("IdentityRotateSigningKeys")
            .WithSummary("New keys now: published at once, signing after the publish-ahead time (or at once with immediately); retirePrevious (with immediately) stops the earlier keys at once.");
        return app;
    }

    /// <summary>A key as administrators see it; <c>state</c>: published (not signing yet), active, accepted (superseded), retired.</summary>
    public sealed record KeyView(string KeyId, string Use, DateTimeOffset CreatedAt, DateTimeOffset ActivateAt, DateTimeOffset? RetireAt, string State);

    /// <summary>
    /// A rotation's choices. Default: the new keys are published now and sign after <c>SigningKeyPublishAhead</c>, no
    /// token fails anywhere. <c>immediately</c>: they sign now (a validator that has not read them yet refuses the first
    /// tokens until it re-reads the key set). <c>retirePrevious</c>: the earlier keys stop now, and every token and
    /// session they signed with them (a compromised key).
    /// </summary>
    public sealed record Rotation(bool? Immediately, bool? RetirePrevious, string? Reason);

    public static async Task<Ok<IReadOnlyList<KeyView>>> ListKeys(SigningKeys keys, SigningKeyRing ring, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<KeyView>>(Views(await keys.ReadAsync(ct), ring.Retention, clock.GetUtcNow()));

    public static async Task<Results<Ok<IReadOnlyList<KeyView>>, ProblemHttpResult>> RotateNow(Rotation? body, ClaimsPrincipal user, HttpContext http,
        SigningKeys keys, SigningKeyRing ring, IOptions<SigningKeyOptions> options, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.Of(user, http);
        var violations = new List<RuleViolation>();
        if (body?.RetirePrevious == true && body.Immediately != true)
        {
            violations.Add(new("retirePrevious", "signing-key.retire-needs-immediate",
                "Retiring the earlier keys at once needs new keys that sign at once (immediately: true)."));
        }

        if (body?.Reason is { Length: > 500 })
        {
            violations.Add(new("reason", "text.length", "The reason is at most 500 characters."));
        }
        else if (TextViolations.Of("reason", body?.Reason, multiLine: true) is { } poisoned)
        {
            violations.Add(poisoned);
        }

        if (violations.Count > 0)
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "signing-key.rotate", null, "refused", string.Join("; ", violations.Select(v => v.Rule)), actor.RemoteAddress), ct);
            return TypedResults.Problem(Problem.Validation(violations));
        }

        var now = clock.GetUtcNow();
        var activateAt = body?.Immediately == true ? now : now + options.Value.SigningKeyPublishAhead;
        var retirePreviousAt = body?.RetirePrevious == true ? now : activateAt + ring.Retention;
        var made = await keys.RotateAsync(now, activateAt, retirePreviousAt, ct);
        // This instance takes the new keys up at once; the others within a minute (SigningKeyRotation).
        await ring.RefreshAsync(ct);
        await audit.WriteAsync(new(actor.Name, actor.Role, "signing-key.rotate", string.Join(' ', made), "ok",
            $"activate {activateAt:O}, earlier keys retire {retirePreviousAt:O}" + (body?.Reason is null ? "" : $": {body.Reason}"), actor.RemoteAddress), ct);
        return TypedResults.Ok<IReadOnlyList<KeyView>>(Views(await keys.ReadAsync(ct), ring.Retention, now));
    }

    private static List<KeyView> Views(IReadOnlyList<SigningKeys.Row> rows, TimeSpan retention, DateTimeOffset now)
    {
        var views = new List<KeyView>();
        foreach (var use in rows.Select(r => r.Use).Distinct())
        {
            var ordered = rows.Where(r => r.Use == use).Select(r => r.Times).OrderBy(k => k.ActivateAt).ThenBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).ToList();
            var inUse = SigningKeySchedule.InUse(ordered, now, retention);
            for (var i = 0; i < ordered.Count; i++)
            {
                var key = ordered[i];
                var state = !inUse.Contains(key) ? "retired" : key == inUse[0] ? "active" : key.ActivateAt > now ? "published" : "accepted";
                views.Add(new(key.KeyId, key.Use, key.CreatedAt, key.ActivateAt, SigningKeySchedule.EffectiveRetirement(ordered, i, retention), state));
            }
        }

        return views;
    }
}
