namespace PopInfo.Identity.Accounts;

/// <summary>A person's account as stored (one row of <c>accounts</c>).</summary>
public sealed class Account
{
    public string User_Name { get; init; } = "";
    public string Display_Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string? Region_Code { get; init; }
    public string Password_Hash { get; init; } = "";
    public int Failed_Sign_Ins { get; init; }
    public DateTimeOffset? Locked_Until { get; init; }
    public bool Disabled { get; init; }
    public string Security_Stamp { get; init; } = "";
    public int Version { get; init; }
    public DateTimeOffset Created_At { get; init; }
    public DateTimeOffset Updated_At { get; init; }

    public const string Columns =
        "user_name, display_name, role, region_code, password_hash, failed_sign_ins, locked_until, disabled, security_stamp, version, created_at, updated_at";
}

/// <summary>An account as the API shows it (never the hash or the stamp).</summary>
public sealed record AccountView(string UserName, string DisplayName, string Role, string? RegionCode, bool Disabled,
    DateTimeOffset? LockedUntil, int FailedSignIns, int Version)
{
    public static AccountView From(Account a) =>
        new(a.User_Name, a.Display_Name, a.Role, a.Region_Code, a.Disabled, a.Locked_Until, a.Failed_Sign_Ins, a.Version);
}
