namespace PopInfo.SyntheticCity.Cli;

internal static class Usage
{
    public const string Text = """
        popinfo-city — generates a synthetic population of Wuxi and loads it into the registry's tables.

        Commands:
          load   generate and bulk-load the city into an empty register
          stats  generate the city in memory and print how it compares with the 2020 census, and its history
          help   this text

        Options:
          --people N            how many people (required; the full city is 7500000)
          --seed S              64-bit seed, default 42: the same seed and size give the same people
          --as-of yyyy-MM-dd    reference date for ages, default 2026-01-01 (never in the future); the history
                                runs from the census (2020-11-01) to it
          --no-history          only the living city, every person version 1 "registered" as of the load time
                                (default: with births, deaths, moves, arrivals and departures since the census)
          --provider P          load: PostgreSql or Sqlite (required)
          --connection CS       PostgreSql: connection string; tables go to schema "registry"
          --data-dir DIR        Sqlite: folder of registry.db, default ./data
          --replace             empty the register first (persons, history, households, change log, commands)
          --connections N       PostgreSql: COPY streams for the persons, 1–8, default 2 (households get one more)
          --keep-indexes        PostgreSql: create the indexes before copying instead of building them after
          --baseline            PostgreSql: also time a raw COPY of the same rows and print both rates
          --quiet               no progress display

        Examples:
          dotnet run --project tools/PopInfo.SyntheticCity -c Release -- load --people 1000000 --seed 42 \
              --provider PostgreSql --connection "Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo"
          dotnet run --project tools/PopInfo.SyntheticCity -c Release -- load --people 1000000 --provider Sqlite --data-dir ./data
        """;
}
