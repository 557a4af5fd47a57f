using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Audit;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Clients;

/// <summary>
/// Departments as OAuth clients (<c>dept-{code}</c>, client credentials): one identity for the department at every
/// service. The secret is handed out once, stored only as OpenIddict's hash; a new one replaces it at once.
/// </summary>
public sealed class DepartmentClients(IOpenIddictApplicationManager applications, ClientStore clients, AuditLog audit)
{
    /// <summary>The scopes a department may be granted (the sharing service's come with its issue).</summary>
    public static readonly string[] Grantable = [PlatformScopes.ExchangeDepartment];

    public sealed record NewDepartmentClient(string? DepartmentCode, string? DisplayName, IReadOnlyList<string>? Scopes);

    public sealed record IssuedSecret(string ClientId, string ClientSecret, IReadOnlyList<string> Scopes);

    public async Task<(IssuedSecret? Issued, ProblemDetails? Problem)> CreateAsync(Actor actor, NewDepartmentClient r, CancellationToken ct)
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

        var scopes = r.Scopes ?? Grantable;
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
            return (null, Problem.Validation(violations));
        }

        if (await applications.FindByClientIdAsync(clientId, ct) is not null)
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "client.create", clientId, "refused", "exists", actor.RemoteAddress), ct);
            return (null, Problem.Conflict("departmentCode", "client.unique", $"The client {clientId} exists."));
        }

        var secret = NewSecret();
        await applications.CreateAsync(ServiceClients.Descriptor(clientId, r.DisplayName!.Trim(), secret, scopes), ct);
        await clients.UpsertAsync(clientId, ClientStore.DepartmentKind, r.DisplayName.Trim(), string.Join(' ', scopes), ct);
        await audit.WriteAsync(new(actor.Name, actor.Role, "client.create", clientId, "ok", "scopes " + string.Join(' ', scopes), actor.RemoteAddress), ct);
        return (new IssuedSecret(clientId, secret, [.. scopes]), null);
    }

    /// <summary>A new secret, handed out once; the old one stops at once (no overlap yet).</summary>
    public async Task<(IssuedSecret? Issued, ProblemDetails? Problem)> RotateSecretAsync(Actor actor, string clientId, CancellationToken ct)
    {
        var row = await clients.FindAsync(clientId, ct);
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (row is not { Kind: ClientStore.DepartmentKind } || application is null)
        {
            return (null, Problem.NotFound($"No department client {clientId}."));
        }

        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.ClientSecret = secret;
        await applications.UpdateAsync(application, descriptor, ct);
        await audit.WriteAsync(new(actor.Name, actor.Role, "client.secret.rotate", clientId, "ok", null, actor.RemoteAddress), ct);
        return (new IssuedSecret(clientId, secret, row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)), null);
    }

    private static string NewSecret() => "pcs_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
