using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Loading;

internal enum Provider
{
    PostgreSql,
    Sqlite,
}

/// <summary>Everything the load command was asked to do.</summary>
/// <param name="City">What to generate.</param>
/// <param name="Provider">Which database.</param>
/// <param name="ConnectionString">PostgreSQL: the server and database (the schema is always "registry").</param>
/// <param name="DataDirectory">SQLite: the folder of registry.db.</param>
/// <param name="Replace">Empty the register's person tables first instead of refusing to load into a non-empty one.</param>
/// <param name="KeepIndexes">PostgreSQL: copy into the indexed tables instead of dropping and rebuilding the secondary indexes.</param>
/// <param name="Baseline">PostgreSQL: also time a raw COPY of the same rows and print both rates.</param>
/// <param name="Connections">PostgreSQL: how many COPY streams share the persons (households get one more).</param>
/// <param name="Quiet">No progress display.</param>
internal sealed record LoadSettings(
    CitySpec City,
    Provider Provider,
    string? ConnectionString,
    string DataDirectory,
    bool Replace,
    bool KeepIndexes,
    bool Baseline,
    bool Quiet,
    int Connections = LoadSettings.DefaultConnections)
{
    public const int DefaultConnections = 2;
}
