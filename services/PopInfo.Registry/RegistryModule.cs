using MassTransit;
using PopInfo.Domain.Regions;
using PopInfo.Registry.AccessLog;
using PopInfo.Registry.Apis;
using PopInfo.Registry.AuditSearch;
using PopInfo.Registry.Commands;
using PopInfo.Registry.Data;
using PopInfo.Registry.Messaging;
using PopInfo.Registry.Quality;
using PopInfo.Registry.Relay;
using PopInfo.Registry.Validation;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Registry;

/// <summary>The population register: its database, commands, queries, relay and routes.</summary>
public static class RegistryModule
{
    public const string Name = "registry";
    public const int Port = 5101;

    public static readonly ServiceInfo Info = new(Name, "population master database",
        "The one database: every registered resident and migrant, their history, and the change log every platform follows.", Port);

    /// <summary>
    /// Reads of persons per caller (token client and subject): 6,000 a minute by default, sized for the desk, whose one client
    /// carries every collector's look-ups and a CSV import's (up to 10,000 rows); setting <c>PopInfo:RateLimits:RegistryLookUp</c>.
    /// </summary>
    public static readonly RateLimitPolicy LookUps = RateLimitPolicy.LookUp(Name, 6_000, TimeSpan.FromMinutes(1));

    public static IHostApplicationBuilder AddRegistry(this IHostApplicationBuilder builder)
    {
        ValidationNames.UseCamelCase();
        // The audit of reads of persons may only be appended to and read (docs/database-roles.md).
        builder.AddServiceDatabase(Name, typeof(RegistryModule).Assembly, auditTables: ["read_audit", "read_audit_persons"]);
        builder.AddOpenApiDocument(Name, "PopInfo registry — the population master database");
        // Only the platform's services reach the register: reads with registry.read, commands with registry.write.
        builder.AddPlatformAuthentication(Name);
        builder.AddRateLimits(Name, LookUps);

        builder.Services.AddSingleton(RegionCatalogue.Wuxi);
        builder.Services.AddSingleton<RegionStore>();
        builder.Services.AddHostedService<RegionSeeder>();
        builder.Services.AddSingleton<PersonRecordValidator>();
        builder.Services.AddSingleton<RelaySignal<ChangeLogRelay>>();
        builder.Services.AddSingleton<CommandExecutor>();
        builder.Services.AddSingleton<PersonCommands>();
        builder.Services.AddSingleton<HouseholdCommands>();
        builder.Services.AddSingleton<PersonReadStore>();
        builder.Services.AddSingleton<CommandSubjects>();
        builder.Services.AddSingleton<ReadAuditStore>();
        builder.Services.AddSingleton<AccessLogStore>();
        builder.Services.AddSingleton<AccessLogQuery>();
        builder.Services.AddSingleton<RegistryAuditStore>().AddAuditSearchSource<RegistryAuditSearch>(Name);
        builder.Services.AddSingleton<SnapshotStore>();
        builder.Services.AddSingleton<PopulationCountStore>();
        builder.Services.AddSingleton<QualityStore>();
        builder.Services.AddSingleton<QualityReport>();
        builder.Services.AddSingleton<RelayPositionStore>();
        builder.Services.AddHostedService<ChangeLogRelay>();
        builder.AddBusConsumers(bus => bus.AddConsumer<RegistryCommandConsumer, RegistryCommandConsumerDefinition>());
        return builder;
    }

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapPersonsApi();
        app.MapChangesApi();
        app.MapSnapshotApi();
        app.MapHouseholdsApi();
        app.MapAccessLogApi();
        app.MapAuditSearchSource(Name, PlatformScopes.RegistryAuditSearch);
        app.MapQualityApi();
        return app;
    }
}

/// <summary>Names the registry's assembly for test hosts (<c>WebApplicationFactory&lt;RegistryEntryPoint&gt;</c>).</summary>
public sealed class RegistryEntryPoint;
