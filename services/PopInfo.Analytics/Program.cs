using PopInfo.Analytics;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-analytics");
builder.AddAnalytics();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAnalytics();
app.Run();
