namespace PopInfo.Benchmarks;

/// <summary>
/// Finds a service's built entry assembly: the benchmark builds every service with it (project references
/// that are built, not referenced), so each sits in its own output folder beside the benchmark's — with
/// <c>--artifacts-path X</c>: <c>X/bin/PopInfo.Registry/release/</c>; with the default layout:
/// <c>services/PopInfo.Registry/bin/Release/net10.0/</c>. <c>--services-bin DIR</c> names a folder holding
/// <c>PopInfo.X/…/PopInfo.X.dll</c> trees instead.
/// </summary>
public static class ServiceLocator
{
    /// <summary>The entry assembly of <paramref name="project"/> (named <paramref name="assembly"/> when it differs from the project's name).</summary>
    public static string Find(string project, string? servicesBin, string? assembly = null)
    {
        var file = (assembly ?? project) + ".dll";
        var candidates = new List<string>();
        var mine = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        if (servicesBin is not null)
        {
            candidates.AddRange(Directory.Exists(servicesBin)
                ? Directory.EnumerateFiles(servicesBin, file, SearchOption.AllDirectories)
                : []);
        }

        // Artifacts layout: bin/<project>/<configuration>/ beside bin/PopInfo.Benchmarks/<configuration>/.
        if (mine.Parent?.Parent is { } bin)
        {
            candidates.Add(Path.Combine(bin.FullName, project, mine.Name, file));
        }

        // Default layout: tests/PopInfo.Benchmarks/bin/<Configuration>/<tfm>/ -> services/<project>/bin/<Configuration>/<tfm>/.
        if (mine.Parent?.Parent?.Parent?.Parent?.Parent is { } repo && mine.Parent is { } configuration)
        {
            candidates.Add(Path.Combine(repo.FullName, "services", project, "bin", configuration.Name, mine.Name, file));
            candidates.Add(Path.Combine(repo.FullName, "tools", project, "bin", configuration.Name, mine.Name, file));
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{file} not found; looked in: {string.Join(", ", candidates)}. Build the benchmark (it builds every service) or pass --services-bin.");
    }
}
