using System.Diagnostics;
using Microsoft.Extensions.Options;
using PopInfo.Analytics;
using PopInfo.Analytics.Projection;
using PopInfo.Collection;
using PopInfo.Domain.Access;
using PopInfo.Identity;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Pages;
using PopInfo.Monitoring;
using PopInfo.Monitoring.Dashboard;
using PopInfo.Sharing;
using PopInfo.Sharing.AccessReport;
using PopInfo.SyntheticCity;

namespace PopInfo.Host;

/// <summary>The demo mode's settings (<c>PopInfo:Demo</c>; <c>--demo</c> on the command line sets <c>Enabled</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "PopInfo:Demo";

    /// <summary>Load a synthetic city into an empty register at start, and create one account per role.</summary>
    public bool Enabled { get; set; }

    /// <summary>The living people of the city (the history adds those who were here since the census and left or died).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 7_500_000)]
    public long People { get; set; } = 100_000;

    /// <summary>The generator's seed: the same seed and size give the same people on every machine.</summary>
    public ulong Seed { get; set; } = CityLoad.DefaultSeed;
}

/// <summary>
/// <c>--demo</c>: something to look at on the first run. Before any service starts, a seeded synthetic city (with its
/// history) goes into an empty register through the synthetic-city tool's SQLite bulk loader; once the identity
/// provider has its first administrator, one account per role is created and listed in <c>data/demo-accounts.txt</c>.
/// A register that holds persons is left as it is: the city is loaded once.
/// </summary>
public static class DemoMode
{
    public const string Switch = "--demo";

    /// <summary>The host's arguments with <c>--demo</c> turned into the setting (the command-line provider takes only key=value).</summary>
    public static string[] Arguments(string[] args) =>
        [.. args.Select(a => string.Equals(a, Switch, StringComparison.Ordinal) ? $"--{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}=true" : a)];

    /// <summary>The SQLite data folder, as the services resolve it.</summary>
    public static string DataDirectory(IConfiguration configuration) => configuration["PopInfo:Database:DataDirectory"] ?? "data";

    /// <summary>The demo accounts' file, full path.</summary>
    public static string AccountsFile(IConfiguration configuration) => Path.GetFullPath(Path.Combine(DataDirectory(configuration), DemoAccounts.FileName));

    /// <summary>Loads the city: register before every other hosted service, so that it runs before the services start.</summary>
    public static void AddDemoCity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<DemoCity>();
    }

    /// <summary>The accounts: register after the identity provider (its migration and first administrator).</summary>
    public static void AddDemoAccounts(this WebApplicationBuilder builder) => builder.Services.AddHostedService<DemoAccountsSeeding>();

    /// <summary>The page a role uses in the embedded host.</summary>
    public static string PageOf(string role, string address) => role switch
    {
        PlatformRoles.Admin => $"http://{address}:{IdentityModule.Port}{AdminPage.Path}",
        PlatformRoles.Collector or PlatformRoles.Supervisor => $"http://{address}:{CollectionModule.Port}{DeskPage.Path}",
        PlatformRoles.Planner => $"http://{address}:{AnalyticsModule.Port}/dashboard",
        PlatformRoles.Operator => $"http://{address}:{MonitoringModule.Port}{MonitorPage.Path}",
        PlatformRoles.Auditor => $"http://{address}:{MonitoringModule.Port}{MonitorPage.Path} http://{address}:{SharingModule.Port}{AccessReportPage.Path}",
        _ => "(no page yet)",
    };
}

/// <summary>Loads the demo city into an empty register (SQLite only).</summary>
internal sealed partial class DemoCity(IOptions<DemoOptions> options, IConfiguration configuration, IServiceProvider services, ILogger<DemoCity> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }

        if (!string.Equals(configuration["PopInfo:Database:Provider"] ?? "Sqlite", "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            LogNotSqlite(logger);
            return;
        }

        var folder = DemoMode.DataDirectory(configuration);
        var present = await CityLoad.PeopleInSqliteAsync(folder, cancellationToken);
        if (present > 0)
        {
            LogPresent(logger, present);
            return;
        }

        // An analytics store built before (of an empty register) would not see a city that comes without change-log entries.
        // (The services' database files exist, empty, from the moment the services are made: an empty one was never built.)
        var analyticsFile = new FileInfo(Path.Combine(folder, AnalyticsModule.Name + ".db"));
        var analyticsBuilt = analyticsFile.Exists && analyticsFile.Length > 0;
        LogLoading(logger, demo.People, demo.Seed, Path.GetFullPath(folder));
        var clock = Stopwatch.StartNew();
        var loaded = await CityLoad.IntoSqliteAsync(folder, demo.People, demo.Seed, logger, cancellationToken);
        LogLoaded(logger, loaded.People, loaded.Living, loaded.History, loaded.Households, clock.Elapsed.TotalSeconds);
        if (analyticsBuilt)
        {
            services.GetRequiredService<ProjectionService>().RequestRebuild();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode loads its city into SQLite only; with another database provider it loads nothing.")]
    private static partial void LogNotSqlite(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: the register already holds {Persons:N0} persons; the demo city is not loaded again.")]
    private static partial void LogPresent(ILogger logger, long persons);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: loading a synthetic city of {People:N0} people (seed {Seed}) with their history since the 2020 census into {Folder}.")]
    private static partial void LogLoading(ILogger logger, long people, ulong seed, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: loaded {Persons:N0} persons ({Living:N0} living), {History:N0} earlier versions and {Households:N0} households in {Seconds:F1} s.")]
    private static partial void LogLoaded(ILogger logger, long persons, long living, long history, long households, double seconds);
}

/// <summary>Creates the demo accounts that are missing, the collector for the first community where people live.</summary>
internal sealed partial class DemoAccountsSeeding(
    IOptions<DemoOptions> options, IConfiguration configuration, DemoAccounts accounts, ILogger<DemoAccountsSeeding> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var folder = DemoMode.DataDirectory(configuration);
        if (await CityLoad.FirstCommunityInSqliteAsync(folder, cancellationToken) is not { } community)
        {
            LogNoCommunity(logger);
            return;
        }

        var address = EmbeddedKeys.LoopbackOrBound(configuration);
        var (path, created) = await accounts.EnsureAsync(folder, community, role => DemoMode.PageOf(role, address), cancellationToken);
        if (created > 0)
        {
            LogCreated(logger, created, path!);
        }
        else if (path is not null)
        {
            LogExisting(logger, path);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: no community where people live in the register; no demo accounts created.")]
    private static partial void LogNoCommunity(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: created {Count} demo accounts (one per role); their user names and passwords are in {Path}")]
    private static partial void LogCreated(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: the demo accounts exist; their user names and passwords are in {Path}")]
    private static partial void LogExisting(ILogger logger, string path);
}
