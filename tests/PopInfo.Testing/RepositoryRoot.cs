namespace PopInfo.Testing;

/// <summary>The repository's root folder (the one holding PopInfo.sln), found from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PopInfo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No PopInfo.sln above {AppContext.BaseDirectory}.");
    }
}
