using Dapper;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// Least privilege underneath (issue 9, docs/database-roles.md): a service's schema belongs to its owner
/// role, which runs the migrations; the service itself runs as a runtime role that may read and write the
/// rows of its own schema only, and may only add to and read its audit tables. The store of the SQL that
/// checks the roles and grants the rights.
/// </summary>
internal static class PostgreSqlRoles
{
    /// <summary>
    /// The runtime role (the user of the service's connection). Refused when it is a superuser or may create
    /// roles (it could then grant itself anything), unless development allows it.
    /// </summary>
    public static async Task<string> CheckRuntimeRoleAsync(ServiceDatabase runtime, bool allowSuperuser, CancellationToken ct)
    {
        await using var connection = await runtime.OpenConnectionAsync(ct);
        var role = await connection.QuerySingleAsync<RoleRow>(new CommandDefinition(
            "SELECT rolname AS Name, rolsuper AS Superuser, rolcreaterole AS CreateRole FROM pg_roles WHERE rolname = current_user",
            cancellationToken: ct));
        if ((role.Superuser || role.CreateRole) && !allowSuperuser)
        {
            var what = role.Superuser ? "a superuser" : "a role that may create roles";
            throw new InvalidOperationException(
                $"PopInfo:Database:ConnectionString of the {runtime.ServiceName} service connects as '{role.Name}', {what}: a service never runs so " +
                $"privileged. Give it the service's own runtime role (deploy/local/up.sh makes popinfo_{runtime.ServiceName}) and its owner role in " +
                "PopInfo:Database:MigrationConnectionString, or set PopInfo:Database:AllowSuperuser=true for development only.");
        }

        return role.Name;
    }

    /// <summary>
    /// Run by the schema's owner after the migrations: the runtime role may use the schema and read and write
    /// its rows, only SELECT and INSERT its audit tables, nothing on the migration journal, and the same on
    /// tables the owner creates later. PUBLIC keeps no rights on the schema. Nothing is granted elsewhere.
    /// </summary>
    public static async Task GrantRuntimeRightsAsync(ServiceDatabase owner, string runtimeRole, IReadOnlyCollection<string> auditTables,
        string journalTable, CancellationToken ct)
    {
        var schema = Quote(owner.ServiceName);
        var role = Quote(runtimeRole);
        var statements = new List<string>
        {
            $"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC",
            $"GRANT USAGE ON SCHEMA {schema} TO {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            $"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            $"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            $"REVOKE ALL ON {schema}.{Quote(journalTable)} FROM {role}",
        };
        statements.AddRange(auditTables.Select(table => $"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.{Quote(table)} FROM {role}"));

        await using var connection = await owner.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Two instances starting at once would GRANT on the same catalogue rows, which PostgreSQL answers with
        // "tuple concurrently updated"; one after the other, each sees the other's grants.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext(@name))",
            new { name = "popinfo.grants." + owner.ServiceName }, transaction, cancellationToken: ct));
        var chained = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT to_regclass(@head) IS NOT NULL",
            new { head = $"{schema}.{Quote(AuditTable.HeadTable)}" }, transaction, cancellationToken: ct));
        if (chained)
        {
            // The audit chain's head: read and moved forward (its trigger refuses going back), never added or removed.
            statements.Add($"REVOKE INSERT, DELETE, TRUNCATE ON {schema}.{Quote(AuditTable.HeadTable)} FROM {role}");
        }
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The runtime role must not hold the owner's rights (being the owner or a member of it): the owner may
    /// grant itself back what the runtime role must not have.
    /// </summary>
    public static async Task CheckNotOwnerAsync(ServiceDatabase runtime, bool allowSuperuser, CancellationToken ct)
    {
        if (allowSuperuser)
        {
            return;
        }

        await using var connection = await runtime.OpenConnectionAsync(ct);
        var ownsIt = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = @schema",
            new { schema = runtime.ServiceName }, cancellationToken: ct));
        if (ownsIt)
        {
            throw new InvalidOperationException(
                $"PopInfo:Database:ConnectionString of the {runtime.ServiceName} service connects as the owner of the schema '{runtime.ServiceName}' " +
                "(or a member of it): the runtime role must be another role than the one in PopInfo:Database:MigrationConnectionString, " +
                "or set PopInfo:Database:AllowSuperuser=true for development only.");
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record RoleRow(string Name, bool Superuser, bool CreateRole);
}
