using PopInfo.Monitoring;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-monitoring");
builder.AddMonitoring();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMonitoring();
app.Run();
