using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;
using PopInfo.Sharing.AccessReport;
using PopInfo.Sharing.Audit;
using PopInfo.Sharing.Grants;
using PopInfo.Sharing.Operations;
using PopInfo.Sharing.People;

namespace PopInfo.Sharing;

/// <summary>
/// The information sharing service (信息共享服务): departments verify and look up people within their grants, and every
/// person verified or returned is audited before the answer leaves (docs/sharing.md, ADR 0003). Built so far: its
/// database, the grants with their audited administration, the daily quota, the access audit by group commit, the read
/// model of current persons kept from the registry's events, the operations (verify, look up, batches, household), and a
/// person's access report for auditors (JSON and a printable page).
/// </summary>
public static class SharingModule
{
    public const string Name = "sharing";
    public const int Port = 5104;

    public static readonly ServiceInfo Info = new(Name, "information sharing service", "Authorised departments look up and verify people; every read is audited.", Port);

    /// <summary>
    /// Requests per department client and minute: each department's limit is its grant's <c>requestsPerMinute</c> (the
    /// setting <c>PopInfo:RateLimits:SharingRequests</c> gives only the window); the counters' table is in V1.
    /// </summary>
    public static readonly RateLimitPolicy GrantRequests = new("sharing.requests", "SharingRequests", 600, TimeSpan.FromMinutes(1));

    public static IHostApplicationBuilder AddSharing(this IHostApplicationBuilder builder)
    {
        // Insert-only for the runtime role: the grants' change trail and the access audit.
        builder.AddServiceDatabase(Name, typeof(SharingModule).Assembly, auditTables: [GrantChanges.Table.Name, AccessAuditStore.Table.Name]);
        builder.AddOpenApiDocument(Name, "PopInfo sharing — information sharing service");
        builder.AddPlatformAuthentication(Name);
        builder.AddRateLimits(Name, GrantRequests);
        builder.Services.AddOptions<SharingOptions>().Bind(builder.Configuration.GetSection(SharingOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.AuditBatchWait >= TimeSpan.Zero && o.AuditBatchWait <= TimeSpan.FromMilliseconds(100), "PopInfo:Sharing:AuditBatchWait is 0 to 100 ms.")
            .Validate(o => o.GrantsFreshFor >= TimeSpan.Zero && o.GrantsFreshFor <= TimeSpan.FromSeconds(60), "PopInfo:Sharing:GrantsFreshFor is 0 to 60 s.")
            .Validate(o => o.CountsFreshFor >= TimeSpan.Zero && o.CountsFreshFor <= TimeSpan.FromSeconds(10), "PopInfo:Sharing:CountsFreshFor is 0 to 10 s.")
            .ValidateOnStart();

        builder.Services.AddSingleton(RegionCatalogue.Wuxi);
        builder.Services.AddSingleton<GrantStore>();
        builder.Services.AddSingleton<GrantService>();
        builder.Services.AddSingleton<QuotaStore>();
        builder.Services.AddSingleton<DailyQuota>();
        builder.Services.AddSingleton<GrantCache>();
        builder.Services.AddSingleton<DepartmentUsage>();
        builder.Services.AddSingleton<AccessAuditStore>();
        builder.Services.AddSingleton<AccessAudit>();
        builder.Services.AddAuditSearchSource<SharingAuditSearch>(Name);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccessAudit>());

        // The read model of current persons, kept from the registry's events (ADR 0003 decisions 1 and 2).
        var options = builder.Configuration.GetSection(SharingOptions.Section).Get<SharingOptions>() ?? new SharingOptions();
        builder.Services.AddSingleton<PeopleStore>();
        builder.Services.AddSingleton<PeopleWatermark>();
        builder.Services.AddSingleton<PeopleReadiness>();
        builder.Services.AddSingleton<PeopleApplier>();
        builder.AddRegistryProjection<PeopleRegistryReader, PeopleProjection, PersonChangedConsumer>(
            Name, options.RegistryUrl, PersonChangedConsumer.QueueName, PersonChangedConsumer.BatchSize);
        builder.Services.AddReadinessCheck<ReadModelHealthCheck>("sharing-read-model");

        builder.Services.AddSingleton<SharingService>();

        // A person's access report (ADR 0003 decision 6): the registry's and the exchange's audits, asked with the service's
        // own token on an auditor's behalf; the page's auditors sign in at the identity provider.
        // No retries (the defaults' pipeline retries 5xx for 30 s): each attempt is an audited question at the source, and a
        // source that does not answer within PopInfo:Sharing:SourceTimeout is named in the report instead.
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) but is the documented way to drop the default pipeline.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<RegistryAccessLogClient>(http => http.BaseAddress = options.RegistryUrl)
            .RemoveAllResilienceHandlers().AddServiceToken(Name, PlatformScopes.RegistryAudit);
        builder.Services.AddHttpClient<ExchangeDeliveriesClient>(http => http.BaseAddress = options.ExchangeUrl)
            .RemoveAllResilienceHandlers().AddServiceToken(Name, PlatformScopes.ExchangeAudit);
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<AccessReportService>();
        builder.AddAccessReportAuthentication();
        return builder;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapGrantsApi();
        app.MapOperationsApi();
        app.MapReadModelApi();
        app.MapAccessReportApi();
        app.MapAuditSearchSource(Name, PlatformScopes.SharingAuditSearch);
        app.MapAccessReportPage();
        return app;
    }
}

/// <summary>Names the sharing service's assembly for test hosts.</summary>
public sealed class SharingEntryPoint;
