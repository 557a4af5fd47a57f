using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PopInfo.Identity;
using PopInfo.Identity.Data;
using PopInfo.ServiceDefaults.Data;
using PopInfo.UnitTests.Architecture;

namespace PopInfo.UnitTests.Data.SqlServer;

/// <summary>
/// The identity provider's OpenIddict tables in its SQL Server migration are the ones EF Core's SQL Server provider would
/// create for <see cref="IdentityDbContext"/>: EF's create script (made without a server) and the migration's OpenIddict
/// statements, each written back by ScriptDom, are the same statements.
/// </summary>
public sealed class OpenIddictSqlServerSchemaTests
{
    [Fact]
    public void The_migration_creates_OpenIddicts_tables_as_EF_Core_would_on_SQL_Server()
    {
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        IdentityDbContext.Configure(options, new ServiceDatabase(IdentityModule.Name, new SqlServerDialect("Server=no-server-needed;Database=popinfo_identity")));
        using var context = new IdentityDbContext(options.Options);

        var fromEf = OpenIddictStatements(context.Database.GenerateCreateScript());
        var fromMigration = OpenIddictStatements(Migration());

        Assert.NotEmpty(fromEf);
        Assert.Equal(fromEf.Order(StringComparer.Ordinal), fromMigration.Order(StringComparer.Ordinal));
    }

    private static string Migration()
    {
        var assembly = PopInfoAssemblies.Load("PopInfo.Identity");
        using var stream = assembly.GetManifestResourceStream("PopInfo.Identity.Migrations.SqlServer.V1__identity.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // The CREATE TABLE and CREATE INDEX statements on OpenIddict's tables, each in ScriptDom's normal form.
    private static List<string> OpenIddictStatements(string script)
    {
        var errors = TSql.Errors(script, out var fragment);
        Assert.Empty(errors);
        return [.. ((TSqlScript)fragment).Batches.SelectMany(b => b.Statements)
            .Where(s => s is CreateTableStatement { SchemaObjectName.BaseIdentifier.Value: var table } && table.StartsWith("OpenIddict", StringComparison.Ordinal)
                || s is CreateIndexStatement { OnName.BaseIdentifier.Value: var indexed } && indexed.StartsWith("OpenIddict", StringComparison.Ordinal))
            .Select(TSql.Normalised)];
    }
}
