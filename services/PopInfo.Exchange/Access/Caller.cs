using System.Security.Claims;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Exchange.Access;

/// <summary>Who is calling: the administrator or one department, and from where (for the audit trail).</summary>
/// <param name="IsAdmin">The exchange's administrator (a token with exchange.admin, or the deprecated key).</param>
/// <param name="DepartmentCode">The department calling, if one is.</param>
/// <param name="RemoteAddress">Where the call came from.</param>
/// <param name="On">Who acts for the administrator, when not a person at the API (e.g. <c>identity:{admin}</c>, a suspension at the provider).</param>
public sealed record Caller(bool IsAdmin, string? DepartmentCode, string? RemoteAddress, string? On = null)
{
    public const string DepartmentClaim = "popinfo:department";

    public string Actor => On ?? (IsAdmin ? "admin" : $"department:{DepartmentCode}");

    /// <summary>The administrator, or the department itself.</summary>
    public bool MaySee(string departmentCode) => IsAdmin || string.Equals(DepartmentCode, departmentCode, StringComparison.Ordinal);

    /// <summary>Whom a department endpoint's rate limit counts: the department (by token or key alike), else the caller.</summary>
    public static string RateLimitKey(HttpContext context) =>
        context.User.FindFirstValue(DepartmentClaim) is { } code ? $"department:{code}" : RateLimitPolicy.CallerKey(context);

    public static Caller From(HttpContext context)
    {
        var user = context.User;
        return new Caller(
            user.IsInRole(ExchangeAuthentication.AdminRole),
            user.FindFirstValue(DepartmentClaim),
            context.Connection.RemoteIpAddress?.ToString());
    }
}
