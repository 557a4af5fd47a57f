using PopInfo.Registry;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-registry");
builder.AddRegistry();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRegistry();
app.Run();
