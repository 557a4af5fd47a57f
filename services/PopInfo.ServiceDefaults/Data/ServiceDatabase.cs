using System.Data.Common;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>One service's database: its schema (PostgreSQL) or file (SQLite), and the dialect to reach it.</summary>
public sealed class ServiceDatabase(string serviceName, SqlDialect dialect)
{
    public string ServiceName { get; } = serviceName;

    public SqlDialect Dialect { get; } = dialect;

    public ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        Dialect.OpenConnectionAsync(cancellationToken);
}
