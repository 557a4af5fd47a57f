using PopInfo.ServiceDefaults;

namespace PopInfo.Exchange;

/// <summary>department information exchange. Its capability is built by a later issue; until then it runs, answers health checks and describes itself.</summary>
public static class ExchangeModule
{
    public const string Name = "exchange";
    public const int Port = 5103;

    public static readonly ServiceInfo Info = new(Name, "department information exchange", "Delivers every change to the bureaus entitled to it, and takes in what bureaus push.", Port);

    public static IHostApplicationBuilder AddExchange(this IHostApplicationBuilder builder)
    {
        builder.AddOpenApiDocument(Name, "PopInfo exchange — department information exchange");
        return builder;
    }

    public static IEndpointRouteBuilder MapExchange(this IEndpointRouteBuilder app) => Info.MapServiceInfo(app);
}
