using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Monitoring.Alerts;

/// <summary>
/// The operators' trail, <c>operator_actions</c>: every rule change (before and after) and every acknowledgement, written
/// in the transaction of the change, a hash chain (docs/database-roles.md) the runtime role may only add to and read.
/// <see cref="AlertStore"/> writes it.
/// </summary>
public static class OperatorActions
{
    public static readonly AuditTable Table = new("operator_actions",
        new("at", AuditValue.Time), new("actor"), new("action"), new("subject"), new("before"), new("after"));

    public const string RuleChange = "rule.change";
    public const string RuleCreate = "rule.create";
    public const string Acknowledge = "alert.acknowledge";
}
