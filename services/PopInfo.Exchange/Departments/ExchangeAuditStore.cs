using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Exchange.Access;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Departments;

/// <summary>
/// The exchange's audit trail: every change to a department or its entitlements (with the state before
/// and after) and every read of people by a department (which events, never their content). Written in
/// the transaction of what it records, or — a read's row — on a connection of its own.
/// </summary>
public sealed class ExchangeAuditStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    /// <summary>The exchange's audit table: a hash chain (docs/database-roles.md), its runtime role may only add to it and read it.</summary>
    public static readonly AuditTable Table = new("audit_log",
        new("at", AuditValue.Time), new("actor"), new("remote_address"), new("department_code"), new("subscription_id", AuditValue.Uuid),
        new("action"), new("before"), new("after"));

    /// <summary>One row in the work's transaction (or, when the work has none, in one of its own on the work's connection).</summary>
    public static Task WriteAsync(UnitOfWork work, Caller caller, DateTimeOffset at, string action,
        string? departmentCode, Guid? subscriptionId = null, object? before = null, object? after = null, CancellationToken ct = default) =>
        Table.AppendAsync(work, new Dictionary<string, object?>
        {
            ["at"] = at,
            ["actor"] = caller.Actor,
            ["remote_address"] = caller.RemoteAddress,
            ["department_code"] = departmentCode,
            ["subscription_id"] = subscriptionId,
            ["action"] = action,
            ["before"] = before is null ? null : JsonSerializer.Serialize(before, Json.Options),
            ["after"] = after is null ? null : JsonSerializer.Serialize(after, Json.Options),
        }, ct);

    /// <summary>One row of a read (no state before), on a connection of its own, after the read it records.</summary>
    public async Task WriteOnOwnConnectionAsync(Caller caller, DateTimeOffset at, string action, string? departmentCode, object? after, CancellationToken ct)
    {
        await using var work = await database.OpenAsync(ct);
        await WriteAsync(work, caller, at, action, departmentCode, after: after, ct: ct);
    }
}

/// <summary>One entry of the audit trail as the administrator reads it.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string? RemoteAddress, string? DepartmentCode, Guid? SubscriptionId,
    string Action, JsonElement? Before, JsonElement? After);
