using Microsoft.Data.SqlClient;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Data.SqlServer;

/// <summary>What the SQL Server dialect decides without a server: each service's database, and what its errors mean.</summary>
public sealed class SqlServerDialectTests
{
    [Fact]
    public void Each_service_gets_a_database_of_its_own_named_after_the_platforms()
    {
        var registry = new SqlConnectionStringBuilder(SqlServerDialect.Create("Server=db;Database=city;User ID=u;Password=p", "registry").ConnectionString);
        var unnamed = new SqlConnectionStringBuilder(SqlServerDialect.Create("Server=db;User ID=u;Password=p", "sharing").ConnectionString);

        Assert.Equal(("city_registry", "popinfo-registry", SqlServerDialect.DefaultMaxPoolSize), (registry.InitialCatalog, registry.ApplicationName, registry.MaxPoolSize));
        Assert.Equal("popinfo_sharing", unnamed.InitialCatalog);
    }

    [Fact]
    public void A_pool_size_given_in_the_connection_string_wins()
    {
        var given = new SqlConnectionStringBuilder(SqlServerDialect.Create("Server=db;Max Pool Size=40", "registry").ConnectionString);

        Assert.Equal(40, given.MaxPoolSize);
    }

    [Theory]
    [InlineData(2627, DatabaseErrorKind.Refused)] // a PRIMARY KEY or UNIQUE constraint
    [InlineData(2601, DatabaseErrorKind.Refused)] // a unique index
    [InlineData(547, DatabaseErrorKind.Refused)] // a foreign key or CHECK constraint
    [InlineData(515, DatabaseErrorKind.Refused)] // NULL into NOT NULL
    [InlineData(8152, DatabaseErrorKind.Refused)] // string or binary data would be truncated
    [InlineData(2628, DatabaseErrorKind.Refused)] // the same, naming the column
    [InlineData(245, DatabaseErrorKind.Refused)] // conversion failed
    [InlineData(1205, DatabaseErrorKind.Transient)] // deadlock victim
    [InlineData(1222, DatabaseErrorKind.Transient)] // lock request timed out
    [InlineData(-2, DatabaseErrorKind.Transient)] // command timeout
    [InlineData(40613, DatabaseErrorKind.Transient)] // database not currently available
    [InlineData(208, DatabaseErrorKind.Other)] // invalid object name
    [InlineData(229, DatabaseErrorKind.Other)] // permission denied
    public void SQL_Server_error_numbers_are_classified_like_SQLSTATEs(int number, DatabaseErrorKind kind) =>
        Assert.Equal(kind, DatabaseErrors.ClassifySqlServer(number));

    [Theory]
    [InlineData("MSSQL_8152", "22")] // a value too long: class 22, as PostgreSQL's 22001
    [InlineData("MSSQL_245", "22")]
    [InlineData("MSSQL_2627", "23")] // a duplicate key: class 23, as PostgreSQL's 23505
    [InlineData("MSSQL_547", "23")]
    public void A_SQL_Server_refusal_has_the_refusal_class_of_its_kind(string code, string refusalClass) =>
        Assert.Equal(refusalClass, new DatabaseError(DatabaseErrorKind.Refused, code, null).RefusalClass);
}
