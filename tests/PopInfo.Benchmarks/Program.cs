using PopInfo.Benchmarks;

// popinfo benchmarks: `dotnet PopInfo.Benchmarks.dll <command> [--option value]...`; see Cli.Usage.
return await Cli.RunAsync(args);
