using System.Data.Common;
using System.Text.Json;
using Dapper;
using PopInfo.Contracts;
using PopInfo.Exchange.Access;

namespace PopInfo.Exchange.Departments;

/// <summary>
/// The exchange's audit trail: every change to a department or its entitlements (with the state before
/// and after) and every read of people by a department (which events, never their content). Written in
/// the transaction of what it records.
/// </summary>
public static class ExchangeAudit
{
    public static Task WriteAsync(DbConnection connection, DbTransaction? transaction, Caller caller, DateTimeOffset at, string action,
        string? departmentCode, Guid? subscriptionId = null, object? before = null, object? after = null, CancellationToken ct = default) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (at, actor, remote_address, department_code, subscription_id, action, before, after)
            VALUES (@at, @actor, @remoteAddress, @departmentCode, @subscriptionId, @action, @before, @after)
            """,
            new
            {
                at,
                actor = caller.Actor,
                remoteAddress = caller.RemoteAddress,
                departmentCode,
                subscriptionId,
                action,
                before = before is null ? null : JsonSerializer.Serialize(before, Json.Options),
                after = after is null ? null : JsonSerializer.Serialize(after, Json.Options),
            },
            transaction, cancellationToken: ct));
}

/// <summary>One entry of the audit trail as the administrator reads it.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string? RemoteAddress, string? DepartmentCode, Guid? SubscriptionId,
    string Action, JsonElement? Before, JsonElement? After);
