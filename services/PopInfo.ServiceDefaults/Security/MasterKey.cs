using System.Security.Cryptography;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// The key-encryption key of the Data Protection key rings: 32 random bytes in a file given by
/// <c>PopInfo:Secrets:KeyFile</c>. It never enters a database, so a copy of the database (a backup, a replica, a
/// dump) holds only wrapped keys. A key is derived from it per service (HKDF, the service's name as info), so one
/// service's key ring is not opened with another's derivation.
/// </summary>
public static class MasterKey
{
    public const string Setting = "PopInfo:Secrets:KeyFile";
    public const string GeneratedFileName = "secrets-master.key";
    private const int Length = 32;

    /// <summary>
    /// The master key: from the file of the setting; else, on SQLite or with <c>AllowGeneratedKeyFile</c>, from (or
    /// newly into) the data directory. Anything else stops the start with a message naming the setting.
    /// </summary>
    public static (byte[] Key, string Path) Load(SecretsOptions secrets, DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(secrets.KeyFile))
        {
            return (Read(Path.GetFullPath(secrets.KeyFile)), Path.GetFullPath(secrets.KeyFile));
        }

        if (database.Provider != DatabaseProvider.Sqlite && !secrets.AllowGeneratedKeyFile)
        {
            throw new InvalidOperationException(
                $"{Setting} is required when PopInfo:Database:Provider is {database.Provider}: every instance of a service needs the same master " +
                "key for the secrets stored in the database (a file of base64 of 32 random bytes, mode 0600, e.g. `head -c 32 /dev/urandom | base64`). " +
                "For development on one machine set PopInfo:Secrets:AllowGeneratedKeyFile=true.");
        }

        var path = Path.GetFullPath(Path.Combine(database.DataDirectory, GeneratedFileName));
        if (!File.Exists(path))
        {
            Generate(path);
        }

        return (Read(path), path);
    }

    /// <summary>The service's own key-encryption key, derived from the master key.</summary>
    public static byte[] ForService(byte[] masterKey, string serviceName) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, Length, salt: null, info: System.Text.Encoding.UTF8.GetBytes("popinfo-key-ring/" + serviceName));

    private static byte[] Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{Setting}: the master key file '{path}' cannot be read ({ex.Message}); " +
                "the secrets stored in the database cannot be opened without it.", ex);
        }

        var key = new byte[Length];
        if (!Convert.TryFromBase64String(text, key, out var written) || written != Length)
        {
            throw new InvalidOperationException($"{Setting}: '{path}' does not hold a master key (base64 of exactly {Length} bytes).");
        }

        return key;
    }

    // Written to a file of its own (0600 from the first byte) and moved into place only if no key is there yet: two
    // services of the embedded host starting at once both keep the one that won, never each their own.
    private static void Generate(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        PrivateFiles.CreateFolder(folder);
        var temporary = Path.Combine(folder, $".{GeneratedFileName}.{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFiles.FileMode;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(Length)));
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
