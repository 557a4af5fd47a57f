using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// The grants' change trail, <c>grant_changes</c>: every create, replace, suspension, activation and deletion with the
/// grant before and after, who and from where — written in the transaction of the change, a hash chain
/// (docs/database-roles.md) the runtime role may only add to and read. <see cref="GrantStore.ChangeAsync"/> writes it.
/// </summary>
public static class GrantChanges
{
    public static readonly AuditTable Table = new("grant_changes",
        new("at", AuditValue.Time), new("actor"), new("remote_address"), new("client_id"), new("action"), new("before"), new("after"));

    public const string Create = "grant.create";
    public const string Replace = "grant.replace";
    public const string Suspend = "grant.suspend";
    public const string Activate = "grant.activate";
    public const string Delete = "grant.delete";
}
