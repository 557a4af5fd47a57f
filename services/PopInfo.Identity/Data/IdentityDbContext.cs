using Microsoft.EntityFrameworkCore;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Identity.Data;

/// <summary>
/// OpenIddict's own store (applications, authorizations, scopes, tokens) through EF Core — the one place EF Core is
/// used. Its tables are created by this service's numbered migrations like every other table (V1), not by EF:
/// <c>IdentitySchemaTests</c> checks the scripts still match the model.
/// </summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    /// <summary>Points EF Core at the service's own database: the schema's pooled data source, the SQLite file, or the SQL Server database.</summary>
    public static void Configure(DbContextOptionsBuilder options, ServiceDatabase database)
    {
        switch (database.Dialect)
        {
            case PostgreSqlDialect postgres:
                options.UseNpgsql(postgres.DataSource);
                break;
            case SqliteDialect sqlite:
                options.UseSqlite(sqlite.ConnectionString);
                break;
            case SqlServerDialect sqlServer:
                options.UseSqlServer(sqlServer.ConnectionString);
                break;
            default:
                throw new NotSupportedException($"The identity provider has no EF Core mapping for {database.Dialect.GetType().Name}.");
        }

        options.UseOpenIddict();
    }
}
