using PopInfo.Exchange;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("popinfo-exchange");
builder.AddExchange();
builder.AddPlatformBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapExchange();
app.Run();
