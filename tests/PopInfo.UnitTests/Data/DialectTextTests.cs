using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Data;

/// <summary>
/// The dialect's text members, each product's form: <see cref="SqlDialect.Quoted"/>, <see cref="SqlDialect.Concat"/>,
/// <see cref="SqlDialect.UuidText"/> and <see cref="SqlDialect.Substring"/> (the SQL Server forms are parsed as T-SQL by SqlServerStatementTests; the SQLite
/// ones run here on an in-memory database; the PostgreSQL ones run in the audit searches' integration tests).
/// </summary>
public sealed class DialectTextTests
{
    private static readonly PostgreSqlDialect Postgres = new(NpgsqlDataSource.Create("Host=no-server-needed"));
    private static readonly SqliteDialect Sqlite = new("Data Source=:memory:");
    private static readonly SqlServerDialect SqlServer = new("Server=no-server-needed");

    [Fact]
    public void A_reserved_name_is_quoted_by_the_standards_quotes_or_SQL_Servers_brackets()
    {
        Assert.Equal("\"use\"", Postgres.Quoted("use"));
        Assert.Equal("\"use\"", Sqlite.Quoted("use"));
        Assert.Equal("[use]", SqlServer.Quoted("use"));
    }

    [Fact]
    public void Concat_is_the_bar_operator_or_SQL_Servers_CONCAT()
    {
        Assert.Equal("('dept-' || x.code)", Postgres.Concat("'dept-'", "x.code"));
        Assert.Equal("('dept-' || x.code || '.')", Sqlite.Concat("'dept-'", "x.code", "'.'"));
        Assert.Equal("CONCAT('dept-', x.code)", SqlServer.Concat("'dept-'", "x.code"));
        Assert.Equal("x.code", SqlServer.Concat("x.code"));
    }

    [Fact]
    public void A_uuids_text_is_a_cast_to_text_or_SQL_Servers_lower_case_nvarchar()
    {
        Assert.Equal("CAST(f.id AS text)", Postgres.UuidText("f.id"));
        Assert.Equal("CAST(f.id AS text)", Sqlite.UuidText("f.id"));
        Assert.Equal("LOWER(CAST(f.id AS nvarchar(36)))", SqlServer.UuidText("f.id"));
    }

    [Fact]
    public void An_integers_text_is_a_cast_to_text_or_SQL_Servers_nvarchar()
    {
        Assert.Equal("CAST(s.n AS text)", Postgres.IntegerText("s.n"));
        Assert.Equal("CAST(s.n AS text)", Sqlite.IntegerText("s.n"));
        Assert.Equal("CAST(s.n AS nvarchar(20))", SqlServer.IntegerText("s.n"));
    }

    [Fact]
    public void Only_PostgreSQL_hashes_in_the_database()
    {
        Assert.Equal("encode(sha256(convert_to(h.last_hash || @content, 'UTF8')), 'hex')", Postgres.Sha256Hex("h.last_hash || @content"));
        Assert.Null(Sqlite.Sha256Hex("x"));
        Assert.Null(SqlServer.Sha256Hex("x"));
    }

    [Fact]
    public void A_json_value_from_text_is_cast_to_jsonb_on_PostgreSQL_only()
    {
        Assert.Equal("CAST(REPLACE(@e, @t, 'x') AS jsonb)", Postgres.JsonOf("REPLACE(@e, @t, 'x')"));
        Assert.Equal("CAST(@e AS jsonb)", Postgres.Json("e"));
        Assert.Equal("REPLACE(@e, @t, 'x')", Sqlite.JsonOf("REPLACE(@e, @t, 'x')"));
        Assert.Equal("@e", SqlServer.Json("e"));
    }

    [Fact]
    public void Substring_is_substr_or_SQL_Servers_SUBSTRING_with_a_length_to_the_end()
    {
        Assert.Equal("substr(a.client_id, 6)", Postgres.Substring("a.client_id", 6));
        Assert.Equal("substr(a.client_id, 6)", Sqlite.Substring("a.client_id", 6));
        Assert.Equal("SUBSTRING(a.client_id, 6, DATALENGTH(a.client_id))", SqlServer.Substring("a.client_id", 6));
    }

    [Fact]
    public async Task SQLite_runs_the_concatenation_and_the_substring()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        var joined = await connection.ExecuteScalarAsync<string>($"SELECT {Sqlite.Concat("'change.'", "@type")}", new { type = "birth" });
        var rest = await connection.ExecuteScalarAsync<string>($"SELECT {Sqlite.Substring("@client", 6)}", new { client = "dept-police " });

        Assert.Equal(("change.birth", "police "), (joined, rest));
    }

    /// <summary>
    /// SQLite's clock for leases: text in the migrations' form (UTC, milliseconds), read back as a time, so a lease's expiry
    /// compares with now as text in time order.
    /// </summary>
    [Fact]
    public async Task SQLite_writes_its_clock_plus_milliseconds_as_text_that_compares_in_time_order()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        var now = await connection.ExecuteScalarAsync<string>($"SELECT {Sqlite.Now}");
        var later = await connection.ExecuteScalarAsync<string>($"SELECT {Sqlite.NowPlusMilliseconds("ttl")}", new { ttl = 10_000 });
        var lapsed = await connection.ExecuteScalarAsync<long>($"SELECT {Sqlite.NowPlusMilliseconds("ttl")} <= {Sqlite.Now}", new { ttl = 10_000 });

        var span = DapperTypeHandlers.ToDateTimeOffset(later!) - DapperTypeHandlers.ToDateTimeOffset(now!);
        Assert.InRange(span, TimeSpan.FromSeconds(9.9), TimeSpan.FromSeconds(10.1));
        Assert.Equal(0, lapsed);
        Assert.EndsWith("+00:00", later, StringComparison.Ordinal);
    }
}
