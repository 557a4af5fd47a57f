using System.Security.Cryptography;
using OpenIddict.Abstractions;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Audit;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Clients;

/// <summary>
/// Departments as OAuth clients (<c>dept-{code}</c>, client credentials): one identity for the department at every
/// service. The secret is handed out once, stored only as OpenIddict's hash; a new one replaces it, the previous one
/// working on for an overlap (<see cref="RotateSecretAsync"/>).
/// </summary>
public sealed class DepartmentClients(PlatformApplicationManager applications, ClientStore clients, AuditLog audit, TimeProvider clock)
{
    /// <summary>The scopes a department may be granted: the exchange's and the sharing service's.</summary>
    public static readonly string[] Grantable = [PlatformScopes.ExchangeDepartment, PlatformScopes.SharingRead];

    /// <summary>What a new department's client gets when its request names no scopes (sharing is granted on purpose, not by default).</summary>
    public static readonly string[] DefaultScopes = [PlatformScopes.ExchangeDepartment];

    public sealed record NewDepartmentClient(string? DepartmentCode, string? DisplayName, IReadOnlyList<string>? Scopes);

    public sealed record IssuedSecret(string ClientId, string ClientSecret, IReadOnlyList<string> Scopes);

    public async Task<Result<IssuedSecret>> CreateAsync(Actor actor, NewDepartmentClient r, CancellationToken ct)
    {
        var violations = new List<RuleViolation>();
        if (r.DepartmentCode is null || r.DepartmentCode.Length is < 2 or > 31 || !char.IsAsciiLetterLower(r.DepartmentCode[0])
            || !r.DepartmentCode.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            violations.Add(new("departmentCode", "department.code", "The code is 2 to 31 characters: a lower-case letter, then lower-case letters, digits or '-' (the exchange's department code)."));
        }

        if (string.IsNullOrWhiteSpace(r.DisplayName) || r.DisplayName.Length > 100)
        {
            violations.Add(new("displayName", "display-name.length", "A display name is 1–100 characters."));
        }
        else if (TextViolations.Of("displayName", r.DisplayName) is { } poisoned)
        {
            violations.Add(poisoned);
        }

        var scopes = r.Scopes ?? DefaultScopes;
        for (var i = 0; i < scopes.Count; i++)
        {
            if (!Grantable.Contains(scopes[i]))
            {
                violations.Add(new($"scopes[{i}]", "scope.grantable", $"A department may be granted {string.Join(", ", Grantable)}."));
            }
        }

        var clientId = PlatformScopes.DepartmentClientId(r.DepartmentCode ?? "");
        if (violations.Count > 0)
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "client.create", clientId, "refused", string.Join("; ", violations.Select(v => v.Rule)), actor.RemoteAddress), ct);
            return Refusal.Invalid(violations);
        }

        if (await applications.FindByClientIdAsync(clientId, ct) is not null)
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "client.create", clientId, "refused", "exists", actor.RemoteAddress), ct);
            return Refusal.Conflict("departmentCode", "client.unique", $"The client {clientId} exists.");
        }

        var secret = NewSecret();
        await applications.CreateAsync(ServiceClients.Descriptor(clientId, r.DisplayName!.Trim(), secret, scopes), ct);
        await clients.UpsertAsync(clientId, ClientStore.DepartmentKind, r.DisplayName.Trim(), string.Join(' ', scopes), ct);
        await audit.WriteAsync(new(actor.Name, actor.Role, "client.create", clientId, "ok", "scopes " + string.Join(' ', scopes), actor.RemoteAddress), ct);
        return new IssuedSecret(clientId, secret, [.. scopes]);
    }

    /// <summary>What an administrator may say about a rotation: how long the previous secret keeps working.</summary>
    public sealed record SecretRotation(int? OverlapMinutes);

    /// <summary>A new secret as handed out: the secret (this answer only) and until when the previous one works.</summary>
    public sealed record RotatedSecret(string ClientId, string ClientSecret, IReadOnlyList<string> Scopes, DateTimeOffset? PreviousSecretExpiresAt);

    /// <summary>By default the previous secret works a day longer: time to put the new one into the department's systems.</summary>
    public const int DefaultOverlapMinutes = 24 * 60;

    /// <summary>At most a week: an overlap is a changeover, not a second secret.</summary>
    public const int MaxOverlapMinutes = 7 * 24 * 60;

    /// <summary>The overlap a rotation asks for (none given: the default; 0: the previous secret stops at once), or the rule it breaks.</summary>
    public static (TimeSpan Overlap, RuleViolation? Violation) OverlapOf(int? minutes) => minutes switch
    {
        null => (TimeSpan.FromMinutes(DefaultOverlapMinutes), null),
        < 0 or > MaxOverlapMinutes => (TimeSpan.Zero, new("overlapMinutes", "secret.overlap",
            $"The previous secret may keep working 0 (it stops at once) to {MaxOverlapMinutes} minutes (a week); default {DefaultOverlapMinutes}.")),
        _ => (TimeSpan.FromMinutes(minutes.Value), null),
    };

    /// <summary>
    /// A new secret, handed out once. The previous one keeps working for the overlap asked for (default a day), so the
    /// department can change over without a gap; OpenIddict's hash of it is kept in <c>clients</c> until then — never
    /// the secret. A second rotation within the overlap replaces the kept one: only the one before the new is accepted.
    /// </summary>
    public async Task<Result<RotatedSecret>> RotateSecretAsync(Actor actor, string clientId, SecretRotation? body, CancellationToken ct)
    {
        var row = await clients.FindAsync(clientId, ct);
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (row is not { Kind: ClientStore.DepartmentKind } || application is null)
        {
            return Refusal.NotFound($"No department client {clientId}.");
        }

        var (overlap, violation) = OverlapOf(body?.OverlapMinutes);
        if (violation is not null)
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "client.secret.rotate", clientId, "refused", violation.Rule, actor.RemoteAddress), ct);
            return Refusal.Invalid([violation]);
        }

        var previousHash = await applications.CurrentSecretHashAsync(application, ct);
        var expiresAt = overlap > TimeSpan.Zero && previousHash is not null ? clock.GetUtcNow() + overlap : (DateTimeOffset?)null;
        // The previous secret is kept before the new one replaces it, so that no moment accepts neither.
        await clients.SetPreviousSecretAsync(clientId, expiresAt is null ? null : previousHash, expiresAt, ct);
        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.ClientSecret = secret;
        await applications.UpdateAsync(application, descriptor, ct);
        await audit.WriteAsync(new(actor.Name, actor.Role, "client.secret.rotate", clientId, "ok",
            expiresAt is null ? "previous secret stopped at once" : $"previous secret works until {expiresAt:O}", actor.RemoteAddress), ct);
        return new RotatedSecret(clientId, secret, row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), expiresAt);
    }

    /// <summary>Ends a rotation's overlap early: from now only the new secret works.</summary>
    public async Task<Result<ClientStore.ClientRow>> EndOverlapAsync(Actor actor, string clientId, CancellationToken ct)
    {
        var row = await clients.FindAsync(clientId, ct);
        if (row is not { Kind: ClientStore.DepartmentKind })
        {
            return Refusal.NotFound($"No department client {clientId}.");
        }

        var had = row.AcceptsPreviousSecret(clock.GetUtcNow());
        await clients.SetPreviousSecretAsync(clientId, null, null, ct);
        await audit.WriteAsync(new(actor.Name, actor.Role, "client.secret.end-overlap", clientId, "ok",
            had ? "previous secret stopped" : "no previous secret was working", actor.RemoteAddress), ct);
        return (await clients.FindAsync(clientId, ct))!;
    }

    private static string NewSecret() => "pcs_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
