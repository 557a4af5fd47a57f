using PopInfo.SyntheticCity.Cli;
using PopInfo.SyntheticCity.Loading;

namespace PopInfo.SyntheticCity.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void A_full_postgresql_load_line_parses()
    {
        var line = CommandLine.Parse(["load", "--people", "1000000", "--seed", "42", "--provider", "PostgreSql", "--connection", "Host=x;Database=y", "--baseline"]);

        Assert.Null(line.Error);
        Assert.Equal(Verb.Load, line.Verb);
        Assert.Equal(1_000_000, line.Settings!.City.People);
        Assert.Equal(42UL, line.Settings.City.Seed);
        Assert.Equal(Provider.PostgreSql, line.Settings.Provider);
        Assert.Equal("Host=x;Database=y", line.Settings.ConnectionString);
        Assert.True(line.Settings.Baseline);
    }

    [Fact]
    public void A_sqlite_load_line_parses_with_equals_signs()
    {
        var line = CommandLine.Parse(["load", "--people=500", "--provider=sqlite", "--data-dir=/tmp/x", "--quiet"]);

        Assert.Null(line.Error);
        Assert.Equal(Provider.Sqlite, line.Settings!.Provider);
        Assert.Equal("/tmp/x", line.Settings.DataDirectory);
        Assert.True(line.Settings.Quiet);
    }

    [Fact]
    public void The_history_is_on_unless_switched_off()
    {
        var with = CommandLine.Parse(["stats", "--people", "5"]);
        var without = CommandLine.Parse(["load", "--people", "5", "--provider", "Sqlite", "--no-history", "--as-of", "2019-06-01"]);

        Assert.Null(with.Error);
        Assert.True(with.Settings!.City.History);
        Assert.Null(without.Error);
        Assert.False(without.Settings!.City.History);
    }

    [Theory]
    [InlineData("The history runs from the census", "stats", "--people", "5", "--as-of", "2020-11-01")]
    [InlineData("--no-history takes no value", "stats", "--people", "5", "--no-history=yes")]
    [InlineData("--people is required", "load", "--provider", "Sqlite")]
    [InlineData("--people must be a whole number", "load", "--people", "many", "--provider", "Sqlite")]
    [InlineData("--people must be a whole number", "load", "--people", "0", "--provider", "Sqlite")]
    [InlineData("--provider must be PostgreSql or Sqlite", "load", "--people", "5", "--provider", "Oracle")]
    [InlineData("--connection is required", "load", "--people", "5", "--provider", "PostgreSql")]
    [InlineData("--baseline applies to PostgreSql only", "load", "--people", "5", "--provider", "Sqlite", "--baseline")]
    [InlineData("Unknown option '--peeple'", "load", "--peeple", "5")]
    [InlineData("Unknown command 'lode'", "lode")]
    [InlineData("--seed must be a whole number", "stats", "--people", "5", "--seed", "-1")]
    [InlineData("--as-of must be a date", "stats", "--people", "5", "--as-of", "1.1.2020")]
    [InlineData("--as-of must lie between", "stats", "--people", "5", "--as-of", "2999-01-01")]
    [InlineData("--people is given twice", "stats", "--people", "5", "--people", "6")]
    [InlineData("--seed needs a value", "stats", "--people", "5", "--seed")]
    public void Bad_arguments_are_named_in_the_error(string expected, params string[] args)
    {
        var line = CommandLine.Parse(args);

        Assert.NotNull(line.Error);
        Assert.Contains(expected, line.Error, StringComparison.Ordinal);
    }
}
