using PopInfo.Domain.Regions;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Apis;
using PopInfo.Exchange.Brokers;
using PopInfo.Exchange.Delivery;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Monitor;
using PopInfo.Exchange.PersonAccess;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Exchange;

/// <summary>
/// The department information exchange: departments and their entitlements, every change projected into
/// each entitled department's events, delivered to its queue and webhook and kept for its replay feed
/// (docs/exchange.md).
/// </summary>
public static class ExchangeModule
{
    public const string Name = "exchange";
    public const int Port = 5103;

    /// <summary>
    /// Requests to a department's endpoints (feed, pushes, a pushed record, delivery status, parked messages) per
    /// department — its token and its key count together — or per other caller (the administrator): 1200 a minute,
    /// setting <c>PopInfo:RateLimits:ExchangeDepartment</c>.
    /// </summary>
    public static readonly RateLimitPolicy DepartmentRequests = new("exchange.department", "ExchangeDepartment", 1200, TimeSpan.FromMinutes(1), Caller.RateLimitKey);

    public static readonly ServiceInfo Info = new(Name, "department information exchange", "Delivers every change to the bureaus entitled to it, and takes in what bureaus push.", Port);

    public static IHostApplicationBuilder AddExchange(this IHostApplicationBuilder builder)
    {
        // Insert-only for the runtime role: the audit trail, and the key ring (keys are only ever added).
        builder.AddServiceDatabase(Name, typeof(ExchangeModule).Assembly, auditTables: [ExchangeAuditStore.Table.Name, DataProtectionKeyStore.Table]);
        builder.AddSecretProtection(Name);
        builder.AddOpenApiDocument(Name, "PopInfo exchange — department information exchange");
        builder.Services.AddOptions<ExchangeOptions>().Bind(builder.Configuration.GetSection(ExchangeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.AddExchangeAuthentication();
        builder.AddRateLimits(Name, DepartmentRequests);

        builder.Services.AddSingleton(RegionCatalogue.Wuxi);
        builder.Services.AddSingleton<EntitlementRules>();
        builder.Services.AddSingleton<DepartmentStore>();
        builder.Services.AddSingleton<ExchangeAuditStore>();
        builder.Services.AddScoped<DepartmentService>();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookSecrets>());
        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<PersonDeliveryStore>();
        builder.Services.AddSingleton<PersonDeliveriesQuery>();
        builder.Services.AddSingleton<ExchangeAuditSearchStore>();
        builder.Services.AddAuditSearchSource<ExchangeAuditSearch>(Name);
        builder.Services.AddSingleton<DeliveryStatusStore>();
        builder.Services.AddScoped<DeliveryStatusReader>();
        builder.Services.AddSingleton<WebhookDeliveryStore>();
        builder.Services.AddSingleton<DepartmentFactsStore>();
        builder.Services.AddSingleton<OutboxBacklogStore>();
        builder.Services.AddScoped<DepartmentFactsService>();
        builder.Services.AddSingleton<DeadLetters>();

        // The register's changes, projected into departments' events.
        builder.Services.AddSingleton<ChangeBuffer>();
        builder.Services.AddSingleton<SubscriptionMatcher>();
        builder.Services.AddSingleton<ProjectionStore>();
        builder.Services.AddSingleton<RelaySignal<ChangeProjector>>();
        builder.Services.AddSingleton<RelaySignal<AmqpDeliveryRelay>>();
        builder.Services.AddSingleton<RelaySignal<WebhookDeliveryRelay>>();
        var registryUrl = builder.Configuration.GetSection(ExchangeOptions.Section).Get<ExchangeOptions>()?.RegistryUrl ?? new ExchangeOptions().RegistryUrl;
        builder.Services.AddHttpClient<RegistryFeed>(http => http.BaseAddress = registryUrl).AddServiceToken(Name, PlatformScopes.RegistryRead);
        builder.Services.AddHostedService<ChangeProjector>();
        builder.Services.AddHostedService<WebhookDeliveryRelay>();
        builder.AddBusConsumers(bus => bus.AddConsumer<PersonChangedConsumer>().Endpoint(e => e.Name = PersonChangedConsumer.QueueName));
        // One at a time, in order: a suspension and the activation after it must not overtake each other.
        builder.AddBusConsumers(bus => bus.AddConsumer<ClientStatusChangedConsumer>()
            .Endpoint(e => { e.Name = ClientStatusChangedConsumer.QueueName; e.ConcurrentMessageLimit = 1; }));

        builder.AddExchangeInbound();
        AddBroker(builder);
        return builder;
    }

    public static IEndpointRouteBuilder MapExchange(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapDepartmentsApi();
        app.MapDeliveryApi();
        app.MapMonitorApi();
        app.MapPersonDeliveriesApi();
        app.MapAuditSearchSource(Name, PlatformScopes.ExchangeAuditSearch);
        app.MapInboundApi();
        return app;
    }

    // On RabbitMQ each department gets its own user and queue; on the in-memory bus (embedded mode) there is
    // no broker to give them, and departments use their webhook and feed.
    private static void AddBroker(IHostApplicationBuilder builder)
    {
        var bus = builder.Configuration.GetSection(PlatformOptions.Section).Get<PlatformOptions>()?.Bus ?? new BusOptions();
        if (bus.Transport != BusTransport.RabbitMq || bus.RabbitMqUri is null)
        {
            builder.Services.AddSingleton<IBrokerAccounts, NoBrokerAccounts>();
            return;
        }

        var amqp = bus.RabbitMqUri;
        var virtualHost = amqp.AbsolutePath.Length <= 1 ? "/" : Uri.UnescapeDataString(amqp.AbsolutePath[1..]);
        var options = builder.Configuration.GetSection(ExchangeOptions.Section).Get<ExchangeOptions>() ?? new ExchangeOptions();
        var management = options.RabbitMqManagementUrl ?? new Uri($"http://{amqp.Host}:15672/");
        // The provisioning credential is kept apart from the messaging connection (BrokerConnection, the bus), which runs
        // as the exchange's own broker user; only without one is the bus's user used (docs/security.md, "Broker users").
        var busCredentials = Uri.UnescapeDataString(amqp.UserInfo).Split(':', 2);
        var (user, password) = options.RabbitMqManagementUser is { Length: > 0 } provisioning
            ? (provisioning, options.RabbitMqManagementPassword ?? "")
            : (busCredentials[0], busCredentials.ElementAtOrDefault(1) ?? "");
        var queues = new DepartmentQueues(bus.DeliveryLimit, options.DepartmentQueueMaxLength);
        builder.Services.AddHttpClient(nameof(RabbitMqManagementAccounts))
            .AddTypedClient<IBrokerAccounts>((http, sp) => new RabbitMqManagementAccounts(
                RabbitMqManagementAccounts.Configure(http, management, user, password), virtualHost,
                sp.GetRequiredService<BrokerConnection>(), queues, bus, (user, password)));
        builder.Services.AddSingleton(queues);
        builder.Services.AddSingleton<BrokerConnection>();
        builder.Services.AddHostedService<AmqpDeliveryRelay>();
        builder.Services.AddHostedService<BrokerPermissionsRepair>();
    }
}

/// <summary>Names the exchange's assembly for test hosts.</summary>
public sealed class ExchangeEntryPoint;
