using PopInfo.Collection.Accounts;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Audit;

/// <summary>
/// Who did what, when and from where: every action on the desk, refused ones included. Written in the
/// same transaction as the action where there is one, so an action and its record commit together.
/// Never holds a full identity number, name or phone: targets are form ids, person ids or masked values.
/// The entry's wording is the desk's; its SQL is the audit table's (<see cref="AuditTable"/>, the hash chain's store).
/// </summary>
public sealed class AuditLog([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    /// <summary>The desk's audit table: a hash chain (docs/database-roles.md), its runtime role may only add to it and read it.</summary>
    public static readonly AuditTable Table = new("audit_log",
        new("at", AuditValue.Time), new("actor"), new("role"), new("remote_address"), new("action"), new("target"),
        new("community_code"), new("outcome"), new("detail"));

    public async Task WriteAsync(DeskUser user, string action, string? target, string? communityCode, string outcome, string? detail = null,
        UnitOfWork? work = null, CancellationToken ct = default)
    {
        var entry = new Dictionary<string, object?>
        {
            ["at"] = clock.GetUtcNow(),
            ["actor"] = user.UserName,
            ["role"] = user.Role,
            ["remote_address"] = user.RemoteAddress,
            ["action"] = action,
            ["target"] = target,
            ["community_code"] = communityCode,
            ["outcome"] = outcome,
            ["detail"] = detail,
        };
        if (work is not null)
        {
            await Table.AppendAsync(work, entry, ct);
            return;
        }

        await using var own = await database.OpenAsync(ct);
        await Table.AppendAsync(own, entry, ct);
    }
}
