using PopInfo.Identity;
using PopInfo.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-identity");
builder.AddIdentityProvider();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIdentityProvider();
app.Run();
