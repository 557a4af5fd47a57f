namespace PopInfo.ServiceDefaults;

/// <summary>
/// Files only the service's own operating-system user may touch: the data folder (0700), the SQLite
/// databases and the generated secrets (0600). Created with their mode, so that they are never readable
/// by others between being created and being chmod-ed. Windows keeps its inherited ACLs.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and missing parents) 0700; a folder that exists keeps its mode (it may be an operator's choice).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>
    /// Makes sure the file exists with mode 0600: creates it empty if missing, takes group and other rights
    /// away if an earlier version left them. An empty file is a valid empty SQLite database, and SQLite gives
    /// its -wal and -shm files the database file's mode.
    /// </summary>
    public static void EnsureFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (new FileStream(path, new FileStreamOptions
        {
            Mode = System.IO.FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = FileMode,
        }))
        {
        }

        Tighten(path);
        Tighten(path + "-wal");
        Tighten(path + "-shm");
    }

    /// <summary>
    /// Writes a generated secret to <c>{folder}/{fileName}</c> (the folder created 0700), mode 0600 from its
    /// first byte, replacing an older file of that name; returns the full path.
    /// </summary>
    public static async Task<string> WriteSecretAsync(string folder, string fileName, string secret, CancellationToken cancellationToken)
    {
        CreateFolder(folder);
        var path = Path.GetFullPath(Path.Combine(folder, fileName));
        // An older file keeps its own mode when opened: a new one gets 0600.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteLineAsync(secret.AsMemory(), cancellationToken);
        return path;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path)
    {
        if (File.Exists(path) && (File.GetUnixFileMode(path) & ~FileMode) != 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) & FileMode);
        }
    }
}
