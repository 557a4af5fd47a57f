namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// A database made by the migrations of the commit issue 14 started from (fdc00fc, kept in Data/Baseline/fdc00fc) is
/// upgraded by the current migrations, for every service, on PostgreSQL and on SQLite: the migrator applies only the
/// scripts the baseline lacks (the journal's earlier rows untouched, their checksums still those of today's scripts),
/// the schema is then that of a fresh current database, and the rows written before the upgrade are still there.
/// When both sets are equal the upgrade applies nothing, and the test still proves the journal and the comparison;
/// it catches the first script that changes an applied one, or that a filled database cannot take.
/// </summary>
public sealed class MigrationUpgradeTests
{
    public const string Baseline = "fdc00fc";

    [Theory]
    [MemberData(nameof(ServiceMigrations.NamesAndProviders), MemberType = typeof(ServiceMigrations))]
    public async Task A_database_of_the_baseline_migrations_upgrades_to_the_current_schema_keeping_its_rows(string service, string provider)
    {
        var baseline = Path.Combine(AppContext.BaseDirectory, "Data", "Baseline", Baseline);
        Assert.True(Directory.GetFiles(baseline, "V*__*.sql", SearchOption.AllDirectories).Length > 0, $"no baseline scripts in {baseline}");
        // A service added after the baseline commit has no folder there: all its scripts are new.
        var folder = Path.Combine(baseline, ServiceMigrations.FolderOf(service), provider);
        var baselineVersions = Directory.Exists(folder) ? Directory.GetFiles(folder, "V*__*.sql").Select(VersionOf).Order().ToList() : [];

        // The database to upgrade and a fresh one to compare it with, made side by side (a PostgreSQL database takes a second).
        var made = await Task.WhenAll(MigratedDatabase.CreateEmptyAsync(service, provider), MigratedDatabase.CreateEmptyAsync(service, provider));
        await using var database = made[0];
        await using var fresh = made[1];
        await fresh.MigrateCurrentAsync();
        if (baselineVersions.Count > 0)
        {
            await database.MigrateFromFolderAsync(folder);
        }

        var before = await database.ReadJournalAsync();
        Assert.Equal(baselineVersions, before.Select(e => int.Parse(e.Version, System.Globalization.CultureInfo.InvariantCulture)).Order());

        // Every service with a baseline has rows of its own to keep (UpgradeSeeds); one without has no tables to write to yet.
        var seeds = baselineVersions.Count == 0 ? [] : UpgradeSeeds.ByService[service];
        foreach (var seed in seeds)
        {
            await database.ExecuteAsync(seed.Insert);
            Assert.Equal(1, await database.ScalarAsync(seed.Count));
        }

        await database.MigrateCurrentAsync();

        var after = await database.ReadJournalAsync();
        var current = await fresh.ReadJournalAsync();
        // The baseline's rows as they were, then rows for exactly the scripts a fresh database has beyond them: the
        // migrator applied only the missing ones (a script run again would add a row), and every applied script's
        // checksum is still today's (an applied script edited afterwards fails here, or in the migrator's validation).
        Assert.Equal(before, after.Take(before.Count));
        Assert.Equal(current.Select(e => (e.Version, e.Name, e.Checksum)), after.Select(e => (e.Version, e.Name, e.Checksum)));
        Assert.All(after, e => Assert.True(e.Success, $"{service} on {provider}: migration {e.Name} not successful"));

        var differences = SchemaComparison.CompareSame(service, provider, await database.ReadSchemaAsync(), await fresh.ReadSchemaAsync());
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));

        foreach (var seed in seeds)
        {
            var count = seed.CountAfterUpgrade ?? seed.Count;
            Assert.True(await database.ScalarAsync(count) == 1, $"{service} on {provider}: after the upgrade, {count} is not 1");
        }
    }

    private static int VersionOf(string path) =>
        int.Parse(Path.GetFileName(path)[1..Path.GetFileName(path).IndexOf("__", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
}
