using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Collection.Audit;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Validation;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Accounts;

/// <summary>
/// Accounts and sign-in. Passwords are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2-HMAC-SHA512, 100,000 iterations, per-password salt). Five wrong passwords in a row lock the
/// account for 15 minutes; an unknown user name is answered exactly like a wrong password.
/// </summary>
public sealed class AccountService(
    [FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, RegionCatalogue regions, AuditLog audit, TimeProvider clock)
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockOutFor = TimeSpan.FromMinutes(15);
    public const int MinPasswordLength = 10;

    private static readonly PasswordHasher<Account> Hasher = new();

    // Verified against when the user name is unknown, so that both cost the same time.
    private static readonly string DummyHash = Hasher.HashPassword(new Account(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    public sealed record SignInResult(Account? Account, ProblemDetails? Problem);

    public async Task<SignInResult> SignInAsync(string? userName, string? password, string? remoteAddress, CancellationToken ct)
    {
        var who = new DeskUser(userName ?? "", "", null, null, remoteAddress);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new(null, Problem.Validation([
                .. string.IsNullOrWhiteSpace(userName) ? [new RuleViolation("userName", "required", "Enter your user name.")] : Array.Empty<RuleViolation>(),
                .. string.IsNullOrEmpty(password) ? [new RuleViolation("password", "required", "Enter your password.")] : Array.Empty<RuleViolation>(),
            ]));
        }

        // Before the look-up and the audit entry, which would carry it into the database.
        if (TextViolations.Of("userName", userName) is { } poisoned)
        {
            return new(null, Problem.Validation([poisoned]));
        }

        var now = clock.GetUtcNow();
        // One connection for the request, its audit rows included: a second one taken while holding the first would,
        // with as many sign-ins at once as the pool has connections, leave each waiting for the others.
        await using var connection = await database.OpenConnectionAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            $"SELECT {Account.Columns} FROM accounts WHERE user_name = @userName", new { userName }, cancellationToken: ct));

        if (account is null)
        {
            Hasher.VerifyHashedPassword(new Account(), DummyHash, password);
            await audit.WriteAsync(who, "sign-in", userName, null, "refused", "unknown user name", connection, ct: ct);
            return new(null, WrongCredentials());
        }

        if (account.Locked_Until is { } until && until > now)
        {
            await audit.WriteAsync(who, "sign-in", userName, account.Community_Code, "refused", "locked out", connection, ct: ct);
            return new(null, LockedOut(until - now));
        }

        var verdict = Hasher.VerifyHashedPassword(account, account.Password_Hash, password);
        if (verdict == PasswordVerificationResult.Failed || account.Disabled)
        {
            var failed = account.Failed_Sign_Ins + 1;
            DateTimeOffset? lockUntil = failed >= MaxFailedSignIns ? now + LockOutFor : null;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET failed_sign_ins = @failed, locked_until = @lockUntil, updated_at = @now WHERE user_name = @userName",
                new { failed = lockUntil is null ? failed : 0, lockUntil, now, userName }, cancellationToken: ct));
            await audit.WriteAsync(who, "sign-in", userName, account.Community_Code, "refused",
                account.Disabled ? "account disabled" : lockUntil is null ? $"wrong password ({failed} in a row)" : "wrong password; locked out", connection, ct: ct);
            return new(null, lockUntil is null ? WrongCredentials() : LockedOut(LockOutFor));
        }

        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password) : account.Password_Hash;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, password_hash = @rehash, updated_at = @now WHERE user_name = @userName",
            new { rehash, now, userName }, cancellationToken: ct));
        await audit.WriteAsync(who with { Role = account.Role }, "sign-in", userName, account.Community_Code, "ok", connection: connection, ct: ct);
        return new(account, null);
    }

    public sealed record NewAccount(string? UserName, string? DisplayName, string? Role, string? CommunityCode, string? StreetCode, string? Password);

    public async Task<(AccountView? Created, ProblemDetails? Problem)> CreateAsync(DeskUser admin, NewAccount request, CancellationToken ct)
    {
        var violations = CheckNew(request);
        if (violations.Count > 0)
        {
            // A poisoned user name or community is audited without it, for the audit log is text too.
            var poisoned = violations.Any(v => FreeText.Rules.Contains(v.Rule));
            await audit.WriteAsync(admin, "account.create", poisoned ? null : request.UserName, poisoned ? null : request.CommunityCode, "refused",
                string.Join("; ", violations.Select(v => v.Rule)), ct: ct);
            return (null, Problem.Validation(violations));
        }

        var now = clock.GetUtcNow();
        var street = request.Role == DeskRoles.Collector && regions.TryGet(request.CommunityCode, out var community) ? community.ParentCode : request.StreetCode;
        var account = new Account
        {
            User_Name = request.UserName!.Trim(),
            Display_Name = request.DisplayName!.Trim(),
            Role = request.Role!,
            Community_Code = request.Role == DeskRoles.Collector ? request.CommunityCode : null,
            Street_Code = request.Role == DeskRoles.Admin ? null : street,
            Created_At = now,
            Updated_At = now,
        };
        account = Copy(account, Hasher.HashPassword(account, request.Password!));

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO accounts (user_name, display_name, role, community_code, street_code, password_hash, failed_sign_ins, locked_until, disabled, created_at, updated_at)
                VALUES (@User_Name, @Display_Name, @Role, @Community_Code, @Street_Code, @Password_Hash, 0, NULL, @Disabled, @Created_At, @Updated_At)
                """, account, transaction, cancellationToken: ct));
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex, out _))
        {
            await transaction.RollbackAsync(ct);
            return (null, Problem.Conflict("userName", "user-name.unique", "An account with this user name exists."));
        }

        await audit.WriteAsync(admin, "account.create", account.User_Name, account.Community_Code, "ok", $"role {account.Role}", connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return (AccountView.From(account), null);
    }

    /// <summary>The account as stored now, or null.</summary>
    public async Task<Account?> FindAsync(string userName, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            $"SELECT {Account.Columns} FROM accounts WHERE user_name = @userName", new { userName }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Account>(new CommandDefinition($"SELECT {Account.Columns} FROM accounts ORDER BY user_name", cancellationToken: ct));
        return [.. rows.Select(AccountView.From)];
    }

    /// <summary>Unlock, set a new password, or disable/enable: one statement each, audited with it.</summary>
    public async Task<ProblemDetails?> ChangeAsync(DeskUser admin, string userName, string action, string? newPassword, CancellationToken ct)
    {
        if (action == "password" && (newPassword is null || newPassword.Length < MinPasswordLength))
        {
            return Problem.Validation("password", "password.length", $"A password has at least {MinPasswordLength} characters.");
        }

        var now = clock.GetUtcNow();
        var (sql, args) = action switch
        {
            "unlock" => ("UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, updated_at = @now WHERE user_name = @userName", (object)new { now, userName }),
            "password" => ("UPDATE accounts SET password_hash = @hash, failed_sign_ins = 0, locked_until = NULL, updated_at = @now WHERE user_name = @userName",
                new { hash = Hasher.HashPassword(new Account { User_Name = userName }, newPassword!), now, userName }),
            "disable" => ("UPDATE accounts SET disabled = @yes, updated_at = @now WHERE user_name = @userName", new { yes = true, now, userName }),
            "enable" => ("UPDATE accounts SET disabled = @no, updated_at = @now WHERE user_name = @userName", new { no = false, now, userName }),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct)) == 0)
        {
            return Problem.NotFound($"No account '{userName}'.");
        }

        await audit.WriteAsync(admin, $"account.{action}", userName, null, "ok", connection: connection, transaction: transaction, ct: ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>Creates the first administrator when there is no account at all; false when accounts exist.</summary>
    public async Task<bool> CreateFirstAdminAsync(string password, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM accounts", cancellationToken: ct)) > 0)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var admin = new Account { User_Name = "admin", Display_Name = "Administrator", Role = DeskRoles.Admin, Created_At = now, Updated_At = now };
        admin = Copy(admin, Hasher.HashPassword(admin, password));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO accounts (user_name, display_name, role, community_code, street_code, password_hash, failed_sign_ins, locked_until, disabled, created_at, updated_at)
            VALUES (@User_Name, @Display_Name, @Role, NULL, NULL, @Password_Hash, 0, NULL, @Disabled, @Created_At, @Updated_At)
            """, admin, cancellationToken: ct));
        return true;
    }

    private List<RuleViolation> CheckNew(NewAccount r)
    {
        var violations = TextViolations.Check(("userName", r.UserName), ("displayName", r.DisplayName), ("role", r.Role),
            ("communityCode", r.CommunityCode), ("streetCode", r.StreetCode));
        if (string.IsNullOrWhiteSpace(r.UserName) || r.UserName.Trim().Length is < 3 or > 40 || !r.UserName.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            violations.Add(new("userName", "user-name.format", "A user name is 3–40 letters, digits, '-', '_' or '.'."));
        }

        if (string.IsNullOrWhiteSpace(r.DisplayName) || r.DisplayName.Length > 50)
        {
            violations.Add(new("displayName", "required", "Give the person's display name (at most 50 characters)."));
        }

        if (!DeskRoles.All.Contains(r.Role))
        {
            violations.Add(new("role", "role.code", "The role is collector, supervisor or admin."));
        }

        if (r.Role == DeskRoles.Collector && !(regions.TryGet(r.CommunityCode, out var community) && community.Level == RegionLevel.Community))
        {
            violations.Add(new("communityCode", "region.community", "A collector works for one community or village: give its 12-digit code."));
        }

        if (r.Role == DeskRoles.Supervisor && !(regions.TryGet(r.StreetCode, out var street) && street.Level == RegionLevel.Street))
        {
            violations.Add(new("streetCode", "region.street", "A supervisor oversees one street or town: give its 9-digit code."));
        }

        if (r.Password is null || r.Password.Length < MinPasswordLength)
        {
            violations.Add(new("password", "password.length", $"A password has at least {MinPasswordLength} characters."));
        }

        return violations;
    }

    private static Account Copy(Account a, string hash) => new()
    {
        User_Name = a.User_Name, Display_Name = a.Display_Name, Role = a.Role, Community_Code = a.Community_Code, Street_Code = a.Street_Code,
        Password_Hash = hash, Created_At = a.Created_At, Updated_At = a.Updated_At,
    };

    private static ProblemDetails WrongCredentials() => new()
    {
        Type = ProblemTypes.Unauthorized,
        Title = "Sign-in failed.",
        Status = StatusCodes.Status401Unauthorized,
        Detail = "The user name or the password is wrong.",
        Extensions = { ["field"] = "password", ["rule"] = "credentials.valid" },
    };

    private static ProblemDetails LockedOut(TimeSpan remaining) => new()
    {
        Type = ProblemTypes.Unauthorized,
        Title = "The account is locked.",
        Status = StatusCodes.Status423Locked,
        Detail = $"Too many wrong passwords. Try again in {Math.Ceiling(remaining.TotalMinutes)} minutes, or ask an administrator to unlock the account.",
        Extensions = { ["field"] = "userName", ["rule"] = "account.locked", ["retryAfterSeconds"] = (int)Math.Ceiling(remaining.TotalSeconds) },
    };
}
