using System.Data.Common;
using Dapper;
using PopInfo.Collection.Accounts;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Audit;

/// <summary>
/// Who did what, when and from where: every action on the desk, refused ones included. Written in the
/// same transaction as the action where there is one, so an action and its record commit together.
/// Never holds a full identity number, name or phone: targets are form ids, person ids or masked values.
/// </summary>
public sealed class AuditLog([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, TimeProvider clock)
{
    public async Task WriteAsync(DeskUser user, string action, string? target, string? communityCode, string outcome, string? detail = null,
        DbConnection? connection = null, DbTransaction? transaction = null, CancellationToken ct = default)
    {
        var entry = new
        {
            at = clock.GetUtcNow(),
            actor = user.UserName,
            role = user.Role,
            remoteAddress = user.RemoteAddress,
            action,
            target,
            communityCode,
            outcome,
            detail,
        };
        const string sql = """
            INSERT INTO audit_log (at, actor, role, remote_address, action, target, community_code, outcome, detail)
            VALUES (@at, @actor, @role, @remoteAddress, @action, @target, @communityCode, @outcome, @detail)
            """;
        if (connection is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, entry, transaction, cancellationToken: ct));
            return;
        }

        await using var own = await database.OpenConnectionAsync(ct);
        await own.ExecuteAsync(new CommandDefinition(sql, entry, cancellationToken: ct));
    }
}
