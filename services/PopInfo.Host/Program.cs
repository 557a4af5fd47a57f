using PopInfo.Analytics;
using PopInfo.Collection;
using PopInfo.Exchange;
using PopInfo.Host;
using PopInfo.Identity;
using PopInfo.Monitoring;
using PopInfo.Registry;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.ServiceDefaults.Routing;
using PopInfo.Sharing;

// Embedded mode: all seven services (six platforms and the identity provider) in one process, SQLite files under ./data, MassTransit's in-memory
// bus. Each service answers on its own loopback port with the routes it has in distributed mode, chosen by
// the port the connection arrived on (LocalPortRouting), never by the Host header. With --demo (PopInfo:Demo:Enabled) a
// synthetic city and one account per role are there on the first run (DemoMode).
var builder = WebApplication.CreateBuilder(DemoMode.Arguments(args));
AllowedHostsDefault.Apply(builder.Configuration, EmbeddedPorts.BindAddress(builder.Configuration));
builder.AddServiceDefaults("popinfo-host");
builder.Services.AddLocalPortRouting();
builder.WebHost.UseUrls(EmbeddedPorts.Urls(builder.Configuration));
EmbeddedKeys.ShareStatusKey(builder.Configuration);
EmbeddedKeys.UseOwnIssuer(builder.Configuration, IdentityModule.Port);
EmbeddedKeys.ShareClientSecrets(builder.Configuration, [CollectionModule.Name, ExchangeModule.Name, SharingModule.Name, AnalyticsModule.Name, MonitoringModule.Name]);
EmbeddedKeys.RegisterDesk(builder.Configuration, CollectionModule.Port);
EmbeddedKeys.RegisterDashboard(builder.Configuration, AnalyticsModule.Port);
EmbeddedKeys.RegisterAccessReport(builder.Configuration, SharingModule.Port);
EmbeddedKeys.RegisterMonitor(builder.Configuration, MonitoringModule.Port);
// The demo city before any service starts: the registry serves it and the analytics service's first snapshot holds it.
builder.AddDemoCity();
// The identity provider first: its hosted services (migrations, the services' clients) start before the
// others ask it for tokens.
builder.AddIdentityProvider();
builder.AddDemoAccounts();
builder.AddRegistry();
builder.AddCollection();
builder.AddExchange();
builder.AddSharing();
builder.AddAnalytics();
builder.AddMonitoring();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGroup("").RequireLocalPort(RegistryModule.Port).MapRegistry();
app.MapGroup("").RequireLocalPort(CollectionModule.Port).MapCollection();
app.MapGroup("").RequireLocalPort(ExchangeModule.Port).MapExchange();
app.MapGroup("").RequireLocalPort(SharingModule.Port).MapSharing();
app.MapGroup("").RequireLocalPort(AnalyticsModule.Port).MapAnalytics();
app.MapGroup("").RequireLocalPort(MonitoringModule.Port).MapMonitoring();
app.MapGroup("").RequireLocalPort(IdentityModule.Port).MapIdentityProvider();
app.MapGroup("").RequireLocalPort(EmbeddedPorts.StartPage).MapStartPage();
app.Run();
