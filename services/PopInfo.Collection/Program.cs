using PopInfo.Collection;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-collection");
builder.AddCollection();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCollection();
app.Run();
