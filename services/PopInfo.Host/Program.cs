using PopInfo.Analytics;
using PopInfo.Collection;
using PopInfo.Exchange;
using PopInfo.Host;
using PopInfo.Identity;
using PopInfo.Monitoring;
using PopInfo.Registry;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.Sharing;

// Embedded mode: all seven services (six platforms and the identity provider) in one process, SQLite files under ./data, MassTransit's in-memory
// bus. Each service answers on its own loopback port with the routes it has in distributed mode.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-host");
builder.WebHost.UseUrls(EmbeddedPorts.Urls(builder.Configuration));
EmbeddedKeys.ShareStatusKey(builder.Configuration);
EmbeddedKeys.UseOwnIssuer(builder.Configuration, IdentityModule.Port);
EmbeddedKeys.ShareClientSecrets(builder.Configuration, [CollectionModule.Name, ExchangeModule.Name]);
builder.AddRegistry();
builder.AddCollection();
builder.AddExchange();
builder.AddSharing();
builder.AddAnalytics();
builder.AddMonitoring();
builder.AddIdentityProvider();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGroup("").RequireHost($"*:{RegistryModule.Port}").MapRegistry();
app.MapGroup("").RequireHost($"*:{CollectionModule.Port}").MapCollection();
app.MapGroup("").RequireHost($"*:{ExchangeModule.Port}").MapExchange();
app.MapGroup("").RequireHost($"*:{SharingModule.Port}").MapSharing();
app.MapGroup("").RequireHost($"*:{AnalyticsModule.Port}").MapAnalytics();
app.MapGroup("").RequireHost($"*:{MonitoringModule.Port}").MapMonitoring();
app.MapGroup("").RequireHost($"*:{IdentityModule.Port}").MapIdentityProvider();
app.MapGroup("").RequireHost($"*:{EmbeddedPorts.StartPage}").MapStartPage();
app.Run();
