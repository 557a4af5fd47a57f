using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Exchange.Access;

/// <summary>
/// Gives a token's caller the exchange's roles, as its keys do: <c>exchange.admin</c> → administrator,
/// <c>exchange.status</c> → status reader, <c>exchange.monitor</c> → the monitoring service (every department's delivery figures), <c>exchange.department</c> from client <c>dept-{code}</c> → that
/// department, while it is registered here and active (<see cref="ActiveDepartments"/>: remembered for a few seconds,
/// not read from the database on every request); each scope only in a token for the exchange (<c>aud</c>
/// <c>popinfo-exchange</c>). Other tokens (the registry's, say) gain nothing.
/// </summary>
public sealed class TokenRoles(ActiveDepartments departments) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true, AuthenticationType: var type } identity
            || type == ExchangeAuthentication.Scheme || identity.HasClaim(c => c.Type == Caller.DepartmentClaim || c.Type == identity.RoleClaimType && c.Value.StartsWith("exchange", StringComparison.Ordinal)))
        {
            return principal;
        }

        var caller = TokenCaller.From(principal);
        var roles = new List<Claim>();
        if (TokenCaller.HasScope(principal, PlatformScopes.ExchangeAdmin))
        {
            roles.Add(new(identity.RoleClaimType, ExchangeAuthentication.AdminRole));
        }

        if (TokenCaller.HasScope(principal, PlatformScopes.ExchangeStatus))
        {
            roles.Add(new(identity.RoleClaimType, ExchangeAuthentication.StatusReaderRole));
        }

        if (TokenCaller.HasScope(principal, PlatformScopes.ExchangeMonitor))
        {
            roles.Add(new(identity.RoleClaimType, ExchangeAuthentication.MonitorRole));
        }

        if (TokenCaller.HasScope(principal, PlatformScopes.ExchangeDepartment) && PlatformScopes.DepartmentCodeOf(caller.ClientId) is { } code)
        {
            if (await departments.IsActiveAsync(code, CancellationToken.None))
            {
                roles.Add(new(identity.RoleClaimType, ExchangeAuthentication.DepartmentRole));
                roles.Add(new(Caller.DepartmentClaim, code));
            }
        }

        if (roles.Count == 0)
        {
            return principal;
        }

        var transformed = principal.Clone();
        ((ClaimsIdentity)transformed.Identity!).AddClaims(roles);
        return transformed;
    }
}
