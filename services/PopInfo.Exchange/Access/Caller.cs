using System.Security.Claims;

namespace PopInfo.Exchange.Access;

/// <summary>Who is calling: the administrator or one department, and from where (for the audit trail).</summary>
public sealed record Caller(bool IsAdmin, string? DepartmentCode, string? RemoteAddress)
{
    public const string DepartmentClaim = "popinfo:department";

    public string Actor => IsAdmin ? "admin" : $"department:{DepartmentCode}";

    /// <summary>The administrator, or the department itself.</summary>
    public bool MaySee(string departmentCode) => IsAdmin || string.Equals(DepartmentCode, departmentCode, StringComparison.Ordinal);

    public static Caller From(HttpContext context)
    {
        var user = context.User;
        return new Caller(
            user.IsInRole(ExchangeAuthentication.AdminRole),
            user.FindFirstValue(DepartmentClaim),
            context.Connection.RemoteIpAddress?.ToString());
    }
}
