using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Security;

/// <summary>The embedded mode's files hold personal data and secrets: only the service's own user may read them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_data_folder_databases_and_generated_secrets_are_the_owners_only()
    {
        await using var platform = new EmbeddedPlatform(generatedSecrets: true);
        using var registry = platform.ClientOf(5101);
        var (registered, _) = await registry.PostAsync("/api/v1/persons", People.Resident());
        Assert.Equal(201, registered);

        // The identity provider's first administrator's generated password (the desk has no passwords of its own).
        var password = (await File.ReadAllTextAsync(Path.Combine(platform.DataDirectory, "identity-admin-password.txt"))).Trim();
        Assert.True(password.Length >= 16, "the generated password is long");

        Assert.Equal(Folder, File.GetUnixFileMode(platform.DataDirectory));
        var files = Directory.GetFiles(platform.DataDirectory);
        Assert.Contains(files, f => f.EndsWith("registry.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("registry.db-shm", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("exchange-admin-key.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.EndsWith("collection-admin-password.txt", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("secrets-master.key", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == File0600, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public void A_database_an_earlier_version_left_readable_by_others_is_made_the_owners_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "popinfo-modes-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var readable = File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            foreach (var name in new[] { "registry.db", "registry.db-wal" })
            {
                File.WriteAllBytes(Path.Combine(folder, name), []);
                File.SetUnixFileMode(Path.Combine(folder, name), readable);
            }

            SqliteDialect.Create(folder, "registry");

            Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(folder, "registry.db")));
            Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(folder, "registry.db-wal")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_secret_replacing_an_older_file_is_written_0600()
    {
        var folder = Path.Combine(Path.GetTempPath(), "popinfo-modes-" + Guid.NewGuid().ToString("N")[..8], "data");
        try
        {
            PrivateFiles.CreateFolder(folder);
            var old = Path.Combine(folder, "secret.txt");
            await File.WriteAllTextAsync(old, "old");
            File.SetUnixFileMode(old, File0600 | UnixFileMode.OtherRead);

            var path = await PrivateFiles.WriteSecretAsync(folder, "secret.txt", "new", CancellationToken.None);

            Assert.Equal(File0600, File.GetUnixFileMode(path));
            Assert.Equal("new", (await File.ReadAllTextAsync(path)).Trim());
            Assert.Equal(Folder, File.GetUnixFileMode(folder));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
