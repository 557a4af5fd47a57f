using PopInfo.Sharing;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-sharing");
builder.AddSharing();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSharing();
app.Run();
