using System.Security.Cryptography;
using System.Text;
using PopInfo.Domain.Access;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults;

namespace PopInfo.Identity.Accounts;

/// <summary>
/// The embedded host's demo mode: one account per role besides the first administrator — <c>demo-collector</c> for a
/// community, <c>demo-supervisor</c> for its street, <c>demo-planner</c>, <c>demo-operator</c>, <c>demo-auditor</c> —
/// each with a random password, created only when no account of that name exists. The names and passwords go to
/// <c>{DataDirectory}/demo-accounts.txt</c>, created readable by its owner only (0600), never to the log.
/// </summary>
public sealed class DemoAccounts(AccountService accounts, AccountStore store, RegionCatalogue regions)
{
    public const string FileName = "demo-accounts.txt";

    private const string PasswordCharacters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static readonly Actor Demo = new("demo", null, null);

    /// <summary>The demo account of a role.</summary>
    public static string UserNameOf(string role) => role == PlatformRoles.Admin ? "admin" : "demo-" + role;

    /// <summary>
    /// Creates the missing demo accounts, the collector for <paramref name="communityCode"/> and the supervisor for its
    /// street, and when it created any writes the file (every role, with the page <paramref name="pageOf"/> names for it;
    /// an account that existed keeps the line an earlier file gave it). Returns the file's path and whether it created
    /// accounts; the path is null when there is no file.
    /// </summary>
    public async Task<(string? Path, int Created)> EnsureAsync(string dataDirectory, string communityCode, Func<string, string> pageOf, CancellationToken ct)
    {
        if (!regions.TryGet(communityCode, out var community) || community.Level != RegionLevel.Community
            || !regions.TryGet(community.ParentCode, out var street))
        {
            throw new ArgumentException($"{communityCode} is not a community of the catalogue.", nameof(communityCode));
        }

        var file = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var earlier = ReadEarlierLines(file);
        var lines = new List<string>();
        var created = 0;
        foreach (var role in PlatformRoles.All)
        {
            var userName = UserNameOf(role);
            var region = PlatformRoles.RegionLevelOf(role) switch
            {
                RegionLevel.Community => community,
                RegionLevel.Street => street,
                _ => null,
            };
            string password;
            if (role == PlatformRoles.Admin)
            {
                password = AdminPassword(dataDirectory);
            }
            else if (await store.FindAsync(userName, ct) is null)
            {
                password = RandomNumberGenerator.GetString(PasswordCharacters, 16);
                var result = await accounts.CreateAsync(Demo, new(userName, $"Demo {role}", role, region?.Code, password), ct);
                if (result.Refusal is { } refusal)
                {
                    throw new InvalidOperationException($"The demo account {userName} was refused: {refusal.Kind} {refusal.Detail}");
                }

                created++;
            }
            else
            {
                password = earlier.GetValueOrDefault(userName) ?? "(the account existed; its password is unchanged)";
            }

            var where = region is null ? "city-wide" : $"{region.Code} {region.Name}";
            lines.Add($"{role,-11}{userName,-17}{password,-22}{where,-28}{pageOf(role)}");
        }

        if (created == 0)
        {
            return (File.Exists(file) ? file : null, 0);
        }

        var text = new StringBuilder()
            .AppendLine("# PopInfo demo accounts: one per role. Sign in at the page of the role; change or disable them at the accounts page.")
            .AppendLine($"# {"role",-9}{"user name",-17}{"password",-22}{"region",-28}page");
        lines.ForEach(l => text.AppendLine(l));
        return (await PrivateFiles.WriteSecretAsync(dataDirectory, FileName, text.ToString().TrimEnd(), ct), created);
    }

    // The first administrator's generated password, for the same file; a configured one is not repeated there.
    private static string AdminPassword(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, FirstAdmin.FileName);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : "(PopInfo:Identity:AdminPassword)";
    }

    // user name -> password of an earlier file, so that a rewrite keeps what it said about accounts that still exist.
    private static Dictionary<string, string> ReadEarlierLines(string file)
    {
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return passwords;
        }

        foreach (var line in File.ReadLines(file).Where(l => !l.StartsWith('#')))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && !parts[2].StartsWith('('))
            {
                passwords[parts[1]] = parts[2];
            }
        }

        return passwords;
    }
}
