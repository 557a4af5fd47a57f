using Microsoft.Extensions.Logging;

namespace PopInfo.ServiceDefaults.Projections;

/// <summary>The follower's log lines, each naming its projection ("Analytics projection …").</summary>
internal static partial class ProjectionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Projection} projection rebuilt from the registry's snapshot at sequence {Sequence}: {Versions} versions.")]
    public static partial void Rebuilt(ILogger logger, string projection, long sequence, long versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Projection} projection loaded: {Rows} versions, watermark {Watermark}.")]
    public static partial void Loaded(ILogger logger, string projection, long rows, long watermark);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Projection} projection: {What} not possible yet ({Reason}); trying again in {Seconds} s.")]
    public static partial void Retry(ILogger logger, string projection, string what, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Projection} projection: the registry does not answer ({Reason}).")]
    public static partial void RegistryUnreachable(ILogger logger, string projection, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Projection} projection: the database does not answer ({Kind}); trying again at the next turn.")]
    public static partial void DatabaseUnreachable(ILogger logger, string projection, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Projection} projection: another instance took the lease during a rebuild; this one waits for its build and loads it.")]
    public static partial void LeaseLost(ILogger logger, string projection);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Projection} projection: another instance builds the store; this one loads it once built.")]
    public static partial void WaitingForBuild(ILogger logger, string projection);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Projection} projection: another instance emptied or rebuilt the store; this one forgets what it holds and loads the new build.")]
    public static partial void ReloadingBuild(ILogger logger, string projection);
}
