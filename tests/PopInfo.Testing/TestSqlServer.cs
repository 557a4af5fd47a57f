using Testcontainers.MsSql;

namespace PopInfo.Testing;

/// <summary>
/// SQL Server for the SQL Server dialect's behaviour tests. Unlike PostgreSQL and RabbitMQ there is no local fallback
/// on these machines (SQL Server has no Debian package): a server given by <c>POPINFO_TEST_SQLSERVER</c> (a connection
/// string) is used, else one is started in a container where a Docker engine exists (Testcontainers, as
/// <see cref="TestInfrastructure"/> does). Where neither exists the tests that need it must be reported skipped, with
/// <see cref="Missing"/> as the reason (<c>Skip.IfNot(TestSqlServer.Available, TestSqlServer.Missing)</c>) — never passed.
/// </summary>
public static class TestSqlServer
{
    /// <summary>SQL Server 2022, the version the dialect and its migrations are written for (T-SQL 160).</summary>
    public const string Image = "mcr.microsoft.com/mssql/server:2022-latest";

    public const string Setting = "POPINFO_TEST_SQLSERVER";

    public const string Missing =
        "NOT RUN: no SQL Server here (no Docker engine to start " + Image + ", and no " + Setting + "). " +
        "These SQL Server behaviour tests run wherever Docker exists (docs/testing.md, \"SQL Server\").";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? connectionString;

    public static bool Available => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Setting)) || TestInfrastructure.DockerAvailable;

    /// <summary>The server's connection string (its database: <c>popinfo</c>), the container started once per process.</summary>
    public static async Task<string> ConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (connectionString is not null)
            {
                return connectionString;
            }

            var given = Environment.GetEnvironmentVariable(Setting);
            if (!string.IsNullOrWhiteSpace(given))
            {
                return connectionString = given;
            }

            if (!TestInfrastructure.DockerAvailable)
            {
                throw new InvalidOperationException(Missing);
            }

            var container = new MsSqlBuilder(Image).Build();
            await container.StartAsync();
            return connectionString = container.GetConnectionString();
        }
        finally
        {
            Gate.Release();
        }
    }
}
