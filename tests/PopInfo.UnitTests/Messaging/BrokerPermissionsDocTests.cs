using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.UnitTests.Messaging;

/// <summary>docs/security.md's table of broker users (copied next to the tests by the project file) says what <see cref="BrokerPermissions"/> grants.</summary>
public sealed class BrokerPermissionsDocTests
{
    private static readonly string DocumentPath = Path.Combine(AppContext.BaseDirectory, "Messaging", "security.md");

    [Fact]
    public void The_documented_table_is_the_one_BrokerPermissions_grants()
    {
        var lines = File.ReadAllLines(DocumentPath);
        var begin = Array.FindIndex(lines, l => l.StartsWith("<!-- broker-permissions:begin", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.StartsWith("<!-- broker-permissions:end", StringComparison.Ordinal));
        Assert.True(begin >= 0 && end > begin, "docs/security.md has no broker-permissions markers");

        // Header and separator, then one row per service; a `|` inside a pattern is written `\|` in a table.
        var documented = lines[(begin + 3)..end];
        var expected = BrokerPermissions.Services.Select(service =>
        {
            var permission = BrokerPermissions.Of(service);
            var patterns = new[] { permission.Configure, permission.Write, permission.Read }.Select(p => $"`{p.Replace("|", "\\|", StringComparison.Ordinal)}`");
            return $"| {service} | `{BrokerPermissions.UserOf(service)}` | {string.Join(" | ", patterns)} |";
        });

        Assert.Equal(expected, documented);
    }
}
