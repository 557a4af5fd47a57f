using PopInfo.Identity;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-identity");
builder.AddIdentityProvider();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIdentityProvider();
app.Run();
