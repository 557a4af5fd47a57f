using System.Security.Cryptography;
using Npgsql;

namespace PopInfo.Testing;

/// <summary>
/// Each service's own PostgreSQL roles in a test's database, as deploy/local/up.sh makes them: an owner
/// (<c>…_owner</c>, owns the service's schema and runs its migrations) and a runtime role (no rights until
/// the owner grants them at the service's start). Roles are cluster-wide, so their names carry a suffix of
/// their own; disposing drops them (and what they own in the test's database).
/// </summary>
public sealed class ServiceRoles : IAsyncDisposable
{
    private readonly string database;
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    private readonly List<string> services = [];

    private ServiceRoles(string database) => this.database = database;

    /// <summary>Creates the owner and runtime roles of each service in the database (connection string of a superuser) and each service's schema.</summary>
    public static async Task<ServiceRoles> CreateAsync(string database, params string[] services)
    {
        var roles = new ServiceRoles(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var service in services)
        {
            roles.services.Add(service);
            await ExecuteAsync(connection,
                $"CREATE ROLE {roles.Owner(service)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{roles.password}'",
                $"CREATE ROLE {roles.Runtime(service)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{roles.password}'",
                $"CREATE SCHEMA IF NOT EXISTS {service} AUTHORIZATION {roles.Owner(service)}");
        }

        return roles;
    }

    /// <summary>The service's runtime role, e.g. <c>popinfo_t1a2b3c4d_registry</c>.</summary>
    public string Runtime(string service) => $"popinfo_t{suffix}_{service}";

    public string Owner(string service) => Runtime(service) + "_owner";

    public string RuntimeConnectionString(string service) => As(Runtime(service));

    public string OwnerConnectionString(string service) => As(Owner(service));

    /// <summary>
    /// The settings of a service running with its own roles (no <c>AllowSuperuser</c>); its bus is RabbitMQ's
    /// <paramref name="virtualHost"/> when given, else the in-memory one.
    /// </summary>
    public Dictionary<string, string?> Settings(string service, Uri? virtualHost = null) => new()
    {
        ["PopInfo:Database:Provider"] = "PostgreSql",
        ["PopInfo:Database:ConnectionString"] = RuntimeConnectionString(service),
        ["PopInfo:Database:MigrationConnectionString"] = OwnerConnectionString(service),
        ["PopInfo:Database:AllowSuperuser"] = "false",
        ["PopInfo:Bus:Transport"] = virtualHost is null ? "InMemory" : "RabbitMq",
        ["PopInfo:Bus:RabbitMqUri"] = virtualHost?.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var service in services)
        {
            // DROP OWNED drops the schema and revokes the grants, which would otherwise keep the roles alive. One role
            // at a time: both in one statement meet the owner's default privileges twice ("could not find tuple for default ACL").
            await ExecuteAsync(connection,
                $"DROP OWNED BY {Owner(service)} CASCADE",
                $"DROP OWNED BY {Runtime(service)} CASCADE",
                $"DROP ROLE IF EXISTS {Runtime(service)}",
                $"DROP ROLE IF EXISTS {Owner(service)}");
        }
    }

    private string As(string role) => new NpgsqlConnectionStringBuilder(database) { Username = role, Password = password }.ConnectionString;

    private static async Task ExecuteAsync(NpgsqlConnection connection, params string[] statements)
    {
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
