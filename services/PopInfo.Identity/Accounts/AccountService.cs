using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using PopInfo.Domain.Access;
using PopInfo.Domain.Regions;
using PopInfo.Identity.Audit;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Identity.Accounts;

/// <summary>Who does an administrative action, for the audit.</summary>
public sealed record Actor(string Name, string? Role, string? RemoteAddress)
{
    /// <summary>The caller of an administration endpoint: a token's subject and role, or the administrator's session.</summary>
    public static Actor Of(System.Security.Claims.ClaimsPrincipal user, HttpContext http)
    {
        var caller = PopInfo.ServiceDefaults.Security.TokenCaller.From(user);
        return new(caller.Subject, caller.Role, http.Connection.RemoteIpAddress?.ToString());
    }
}

/// <summary>
/// People's accounts. Passwords are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2-HMAC-SHA512, 100,000 iterations, salted) — the desk's hashes, so its accounts move over unchanged.
/// Five wrong passwords in a row lock an account for 15 minutes (counted atomically); an unknown user name is
/// answered like a wrong password, after the same work. Every change of password, role, region or status
/// renews the account's security stamp, which ends its sessions and refresh tokens.
/// </summary>
public sealed class AccountService(AccountStore store, RegionCatalogue regions, AuditLog audit, TimeProvider clock)
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockOutFor = TimeSpan.FromMinutes(15);
    public const int MinPasswordLength = 10;

    private static readonly PasswordHasher<Account> Hasher = new();
    private static readonly string DummyHash = Hasher.HashPassword(new Account(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    public enum SignInOutcome { Ok, WrongCredentials, LockedOut }

    public sealed record SignInResult(SignInOutcome Outcome, Account? Account, TimeSpan? RetryAfter = null);

    public async Task<SignInResult> SignInAsync(string userName, string password, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await store.FindAsync(userName, ct);
        if (account is null)
        {
            Hasher.VerifyHashedPassword(new Account(), DummyHash, password);
            await audit.WriteAsync(new(userName, null, "sign-in", userName, "refused", "unknown user name", remoteAddress), ct);
            return new(SignInOutcome.WrongCredentials, null);
        }

        if (account.Locked_Until is { } until && until > now)
        {
            await audit.WriteAsync(new(userName, account.Role, "sign-in", userName, "refused", "locked out", remoteAddress), ct);
            return new(SignInOutcome.LockedOut, null, until - now);
        }

        var verdict = Hasher.VerifyHashedPassword(account, account.Password_Hash, password);
        if (verdict == PasswordVerificationResult.Failed || account.Disabled)
        {
            var locked = await store.CountFailureAsync(userName, MaxFailedSignIns, now + LockOutFor, now, ct);
            await audit.WriteAsync(new(userName, account.Role, "sign-in", userName, "refused",
                account.Disabled ? "account disabled" : locked is null ? "wrong password" : "wrong password; locked out", remoteAddress), ct);
            return locked is null ? new(SignInOutcome.WrongCredentials, null) : new(SignInOutcome.LockedOut, null, LockOutFor);
        }

        var hash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password) : account.Password_Hash;
        await store.ResetFailuresAsync(userName, hash, now, ct);
        await audit.WriteAsync(new(userName, account.Role, "sign-in", userName, "ok", null, remoteAddress), ct);
        return new(SignInOutcome.Ok, account);
    }

    /// <summary>Whether a session or refresh token made with this stamp still speaks for a usable account.</summary>
    public async Task<Account?> CurrentAsync(string userName, string? stamp, CancellationToken ct)
    {
        var account = await store.FindAsync(userName, ct);
        return account is { Disabled: false } && account.Security_Stamp == stamp ? account : null;
    }

    public sealed record NewAccount(string? UserName, string? DisplayName, string? Role, string? RegionCode, string? Password);

    public async Task<Result<AccountView>> CreateAsync(Actor actor, NewAccount r, CancellationToken ct)
    {
        var violations = new List<RuleViolation>();
        CheckUserName(r.UserName, violations);
        CheckDisplayName(r.DisplayName, violations);
        CheckRole(r.Role, r.RegionCode, violations);
        CheckPassword(r.Password, violations);
        if (violations.Count > 0)
        {
            // A user name that broke its rule may hold anything (a NUL, which PostgreSQL's text refuses): not audited.
            var name = violations.Any(v => v.Field == "userName") ? null : r.UserName;
            await audit.WriteAsync(new(actor.Name, actor.Role, "account.create", name, "refused", string.Join("; ", violations.Select(v => v.Rule)), actor.RemoteAddress), ct);
            return Refusal.Invalid(violations);
        }

        var now = clock.GetUtcNow();
        var account = new Account
        {
            User_Name = r.UserName!, Display_Name = r.DisplayName!.Trim(), Role = r.Role!, Region_Code = NullIfEmpty(r.RegionCode),
            Security_Stamp = NewStamp(), Version = 1, Created_At = now, Updated_At = now,
        };
        account = With(account, Hasher.HashPassword(account, r.Password!));
        if (!await store.InsertAsync(account, ct))
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "account.create", r.UserName, "refused", "user name taken", actor.RemoteAddress), ct);
            return Refusal.Conflict("userName", "user-name.unique", "An account with this user name exists.");
        }

        await audit.WriteAsync(new(actor.Name, actor.Role, "account.create", account.User_Name, "ok", $"role {account.Role} {account.Region_Code}".TrimEnd(), actor.RemoteAddress), ct);
        return AccountView.From(account);
    }

    /// <summary>What an administrator changes; absent fields stay as they are.</summary>
    public sealed record AccountChange(int? ExpectedVersion, string? DisplayName, string? Role, string? RegionCode, bool? Disabled, string? Password, bool? Unlock);

    public async Task<Result<AccountView>> ChangeAsync(Actor actor, string userName, AccountChange r, CancellationToken ct)
    {
        var current = await store.FindAsync(userName, ct);
        if (current is null)
        {
            return Refusal.NotFound($"No account {userName}.");
        }

        var role = r.Role ?? current.Role;
        var region = r.Role is null && r.RegionCode is null ? current.Region_Code : NullIfEmpty(r.RegionCode);
        var violations = new List<RuleViolation>();
        if (r.ExpectedVersion is null)
        {
            violations.Add(new("expectedVersion", "required", "Give the version of the account you saw."));
        }

        if (r.DisplayName is not null)
        {
            CheckDisplayName(r.DisplayName, violations);
        }

        // An administrator cannot lock themselves out (and so leave the platform with no administrator by mistake).
        if (string.Equals(actor.Name, userName, StringComparison.Ordinal) && (r.Disabled == true || (r.Role is not null && r.Role != current.Role)))
        {
            violations.Add(new(r.Disabled == true ? "disabled" : "role", "account.self", "You cannot disable your own account or change your own role."));
        }

        CheckRole(role, region, violations);
        if (r.Password is not null)
        {
            CheckPassword(r.Password, violations);
        }

        if (violations.Count > 0)
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "account.change", userName, "refused", string.Join("; ", violations.Select(v => v.Rule)), actor.RemoteAddress), ct);
            return Refusal.Invalid(violations);
        }

        var disabled = r.Disabled ?? current.Disabled;
        // Anything that changes what the account may do ends its sessions and tokens.
        var renew = r.Password is not null || role != current.Role || region != current.Region_Code || disabled != current.Disabled;
        var changed = new Account
        {
            User_Name = current.User_Name, Display_Name = r.DisplayName?.Trim() ?? current.Display_Name, Role = role, Region_Code = region,
            Password_Hash = current.Password_Hash, Disabled = disabled, Security_Stamp = renew ? NewStamp() : current.Security_Stamp,
            Failed_Sign_Ins = r.Unlock == true ? 0 : current.Failed_Sign_Ins, Locked_Until = r.Unlock == true ? null : current.Locked_Until,
            Version = current.Version, Created_At = current.Created_At, Updated_At = clock.GetUtcNow(),
        };
        if (r.Password is not null)
        {
            changed = With(changed, Hasher.HashPassword(changed, r.Password));
        }

        if (!await store.UpdateAsync(changed, r.ExpectedVersion!.Value, ct))
        {
            await audit.WriteAsync(new(actor.Name, actor.Role, "account.change", userName, "refused", "stale version", actor.RemoteAddress), ct);
            return Refusal.VersionConflict(r.ExpectedVersion.Value, current.Version);
        }

        var what = new List<string>();
        if (r.DisplayName is not null) what.Add("display name");
        if (role != current.Role) what.Add($"role {current.Role} -> {role}");
        if (region != current.Region_Code) what.Add($"region {current.Region_Code} -> {region}");
        if (disabled != current.Disabled) what.Add(disabled ? "disabled" : "enabled");
        if (r.Password is not null) what.Add("password set");
        if (r.Unlock == true) what.Add("unlocked");
        await audit.WriteAsync(new(actor.Name, actor.Role, "account.change", userName, "ok", string.Join(", ", what), actor.RemoteAddress), ct);
        return AccountView.From((await store.FindAsync(userName, ct))!);
    }

    /// <summary>One of the desk's accounts as it moves into the provider: its PBKDF2 hash kept, so nobody resets.</summary>
    public sealed record ImportedAccount(string? UserName, string? DisplayName, string? Role, string? RegionCode, string? PasswordHash, bool Disabled);

    /// <summary>What became of one moved account: created, exists (never overwritten) or refused under a rule.</summary>
    public sealed record ImportOutcome(string? UserName, string Outcome, string? Rule = null);

    /// <summary>
    /// Moves the desk's accounts in. An account whose name exists is left as it is; a desk administrator arrives
    /// disabled, for a provider administrator to enable: at the provider the role also manages clients and the
    /// exchange, a wider power than the desk's, and the importing service must not be able to grant it.
    /// </summary>
    public async Task<IReadOnlyList<ImportOutcome>> ImportAsync(Actor actor, IReadOnlyList<ImportedAccount> accounts, CancellationToken ct)
    {
        var outcomes = new List<ImportOutcome>(accounts.Count);
        foreach (var a in accounts)
        {
            var violations = new List<RuleViolation>();
            CheckUserName(a.UserName, violations);
            CheckDisplayName(a.DisplayName, violations);
            if (!PlatformRoles.Desk.Contains(a.Role))
            {
                violations.Add(new("role", "role.desk", "Only the desk's roles move: collector, supervisor, admin."));
            }

            CheckRole(a.Role, a.RegionCode, violations);
            if (!PasswordHashes.IsPbkdf2V3(a.PasswordHash))
            {
                violations.Add(new("passwordHash", "password-hash.format", "The hash is ASP.NET Core Identity's version 3 (PBKDF2) format, base64."));
            }

            // A user name that failed its own rule is not written into the audit either.
            var name = violations.Any(v => v.Field == "userName") ? null : a.UserName;
            if (violations.Count > 0)
            {
                var rules = string.Join("; ", violations.Select(v => v.Rule));
                await audit.WriteAsync(new(actor.Name, actor.Role, "account.import", name, "refused", rules, actor.RemoteAddress), ct);
                outcomes.Add(new(name, "refused", rules));
                continue;
            }

            var now = clock.GetUtcNow();
            var disabled = a.Disabled || a.Role == PlatformRoles.Admin;
            var account = new Account
            {
                User_Name = a.UserName!, Display_Name = a.DisplayName!.Trim(), Role = a.Role!, Region_Code = NullIfEmpty(a.RegionCode),
                Password_Hash = a.PasswordHash!, Disabled = disabled, Security_Stamp = NewStamp(), Version = 1, Created_At = now, Updated_At = now,
            };
            if (!await store.InsertAsync(account, ct))
            {
                await audit.WriteAsync(new(actor.Name, actor.Role, "account.import", a.UserName, "refused", "user name taken; left as it is", actor.RemoteAddress), ct);
                outcomes.Add(new(a.UserName, "exists"));
                continue;
            }

            await audit.WriteAsync(new(actor.Name, actor.Role, "account.import", a.UserName, "ok",
                $"from the desk: role {a.Role} {a.RegionCode}{(disabled ? "; disabled" : "")}".TrimEnd(), actor.RemoteAddress), ct);
            outcomes.Add(new(a.UserName, "created"));
        }

        return outcomes;
    }

    /// <summary>The first administrator, when there is no account at all; false if there is one.</summary>
    public async Task<bool> CreateFirstAdminAsync(string password, CancellationToken ct)
    {
        if (await store.AnyAsync(ct))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var admin = new Account
        {
            User_Name = "admin", Display_Name = "Administrator", Role = PlatformRoles.Admin, Security_Stamp = NewStamp(), Version = 1,
            Created_At = now, Updated_At = now,
        };
        var created = await store.InsertAsync(With(admin, Hasher.HashPassword(admin, password)), ct);
        if (created)
        {
            await audit.WriteAsync(new("settings", null, "account.create", "admin", "ok", "first administrator"), ct);
        }

        return created;
    }

    private void CheckRole(string? role, string? region, List<RuleViolation> violations)
    {
        if (PlatformRoles.CheckRegion(role, NullIfEmpty(region), regions) is { } rule)
        {
            violations.Add(rule == "role.known"
                ? new("role", rule, $"The role is one of {string.Join(", ", PlatformRoles.All)}.")
                : new("regionCode", rule, "A collector has a community (12 digits), a supervisor a street (9 digits); other roles none."));
        }
    }

    private static void CheckUserName(string? name, List<RuleViolation> violations)
    {
        if (!PlatformRoles.IsUserName(name))
        {
            violations.Add(new("userName", "user-name.format", "A user name is 3–40 letters, digits, '-', '_' or '.'."));
        }
    }

    private static void CheckDisplayName(string? name, List<RuleViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 50)
        {
            violations.Add(new("displayName", "display-name.length", "A display name is 1–50 characters."));
        }
        else if (TextViolations.Of("displayName", name) is { } poisoned)
        {
            violations.Add(poisoned);
        }
    }

    private static void CheckPassword(string? password, List<RuleViolation> violations)
    {
        if (password is null || password.Length < MinPasswordLength || password.Length > 200)
        {
            violations.Add(new("password", "password.length", $"A password has {MinPasswordLength}–200 characters."));
        }
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Account With(Account a, string hash) => new()
    {
        User_Name = a.User_Name, Display_Name = a.Display_Name, Role = a.Role, Region_Code = a.Region_Code, Password_Hash = hash,
        Failed_Sign_Ins = a.Failed_Sign_Ins, Locked_Until = a.Locked_Until, Disabled = a.Disabled, Security_Stamp = a.Security_Stamp,
        Version = a.Version, Created_At = a.Created_At, Updated_At = a.Updated_At,
    };
}
