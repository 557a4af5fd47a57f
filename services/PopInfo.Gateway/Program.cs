using PopInfo.Gateway;

// The local reverse proxy: one address per service in front of several instances of it (docs/architecture.md,
// "Several instances: one address"). It only forwards — every service still authenticates each request itself.
var builder = WebApplication.CreateBuilder(args);
builder.AddGateway();

var app = builder.Build();
app.MapGateway();
app.Run();
