using PopInfo.Collection.Accounts;
using PopInfo.Collection.Apis;
using PopInfo.Collection.Audit;
using PopInfo.Collection.Days;
using PopInfo.Collection.Exchange;
using PopInfo.Collection.Forms;
using PopInfo.Collection.Import;
using PopInfo.Collection.Monitor;
using PopInfo.Collection.Paper;
using PopInfo.Collection.Reference;
using PopInfo.Collection.Transmission;
using PopInfo.Collection.Workbooks;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Counties;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Collection;

/// <summary>The community collection desk: accounts, forms, their transmission to the registry, daily clearing, and the desk page.</summary>
public static class CollectionModule
{
    public const string Name = "collection";
    public const int Port = 5102;

    public static readonly ServiceInfo Info = new(Name, "community information collection", "Community collectors' desk: one person, one form; cleared every day; transmitted at once.", Port);

    /// <summary>The desk's "find a person" per collector or supervisor (setting <c>PopInfo:RateLimits:CollectionLookUp</c>).</summary>
    public static readonly RateLimitPolicy LookUps = RateLimitPolicy.LookUp(Name, 600, TimeSpan.FromMinutes(1));

    public static IHostApplicationBuilder AddCollection(this IHostApplicationBuilder builder)
    {
        // The key ring is insert-only like the audit trail: keys are only ever added.
        builder.AddServiceDatabase(Name, typeof(CollectionModule).Assembly, auditTables: [AuditLog.Table.Name, DataProtectionKeyStore.Table]);
        // The desk's session cookies and sign-in state on the service's key ring in its database (all instances).
        builder.AddSecretProtection(Name);
        builder.AddSessionKeyRing(Name);
        builder.AddOpenApiDocument(Name, "PopInfo collection — community information collection");
        // People sign in at the identity provider (its sign-in limits and lockout apply there); the desk limits look-ups per person.
        builder.AddDeskAuthentication();
        // Platform tokens beside the desk's sessions, for the monitoring service's client only: the clearing facts and the outbox
        // (collection.monitor), and the auditors' audit search (collection.audit-search).
        builder.AddPlatformAuthentication(Name);
        builder.AddRateLimits(Name, LookUps);

        builder.Services.AddSingleton(RegionCatalogue.Wuxi);
        builder.Services.AddSingleton(_ => CountyCatalogue.China);
        builder.Services.AddSingleton<ReferenceQueries>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<DeskAuditStore>();
        builder.Services.AddAuditSearchSource<DeskAuditSearch>(Name);
        builder.Services.AddSingleton<DeskAccountStore>();
        builder.Services.AddHostedService<DeskAccountsMove>();
        var provider = builder.Configuration[$"{DeskAuthentication.Section}:Authority"] ?? builder.Configuration["PopInfo:Auth:Authority"] ?? "http://127.0.0.1:5107/";
        builder.Services.AddHttpClient<IdentityImportClient>(http => http.BaseAddress = new Uri(provider.TrimEnd('/') + "/"))
            .AddServiceToken(Name, PlatformScopes.IdentityImport);
        builder.Services.AddSingleton<FormRules>();
        builder.Services.AddSingleton<RegisterChecks>();
        builder.Services.AddSingleton<FormService>();
        builder.Services.AddSingleton<DayService>();
        builder.Services.AddSingleton<PaperService>();
        builder.Services.AddSingleton<ClearingFactsStore>();
        builder.Services.AddSingleton<ClearingFactsService>();
        builder.Services.AddSingleton<OutboxBacklogStore>();
        builder.Services.AddSingleton<FormImportService>();
        builder.Services.AddSingleton<DayExport>();
        builder.AddRegistryCommandOutbox<FormAnswerStore>();

        // Reads of the register, and of the exchange's delivery status: a collector waits at most a few seconds
        // before the desk says the other service is away.
        var registryUrl = builder.Configuration["PopInfo:Collection:RegistryUrl"] ?? "http://127.0.0.1:5101/";
        // With the desk's own token (client credentials): the register answers only platform services.
        Interactive(builder.Services.AddHttpClient<RegistryClient>(http => http.BaseAddress = new Uri(registryUrl)))
            .AddServiceToken(Name, PlatformScopes.RegistryRead);
        var exchangeUrl = builder.Configuration["PopInfo:Collection:ExchangeUrl"] ?? "http://127.0.0.1:5103/";
        var exchangeKey = builder.Configuration["PopInfo:Collection:ExchangeKey"];
        var exchange = Interactive(builder.Services.AddHttpClient<ExchangeClient>(http =>
        {
            http.BaseAddress = new Uri(exchangeUrl);
            if (!string.IsNullOrEmpty(exchangeKey))
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", exchangeKey);
            }
        }));
        if (string.IsNullOrEmpty(exchangeKey))
        {
            // The desk's own token with exchange.status; the shared status key (PopInfo:Collection:ExchangeKey) is deprecated.
            exchange.AddServiceToken(Name, PlatformScopes.ExchangeStatus);
        }

        return builder;
    }

    // The service defaults give every client the standard pipeline (3 retries, 30 s); the desk's clients get a
    // shorter budget instead. RemoveAllResilienceHandlers is marked experimental (EXTEXP0001) but is the
    // documented way to replace the default pipeline for one client.
    private static IHttpClientBuilder Interactive(IHttpClientBuilder client)
    {
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
                options.Retry.MaxRetryAttempts = 1;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            });
        return client;
    }

    public static IEndpointRouteBuilder MapCollection(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapSessionApi();
        app.MapFormsApi();
        app.MapDaysApi();
        app.MapMonitorApi();
        app.MapPersonLookupApi();
        app.MapImportApi();
        app.MapReferenceApi();
        app.MapExportApi();
        app.MapAuditSearchSource(Name, PlatformScopes.CollectionAuditSearch);
        app.MapDesk();
        app.MapPaper();
        return app;
    }
}

/// <summary>Names the collection's assembly for test hosts.</summary>
public sealed class CollectionEntryPoint;
