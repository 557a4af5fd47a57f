using PopInfo.ServiceDefaults;

namespace PopInfo.Collection;

/// <summary>community information collection. Its capability is built by a later issue; until then it runs, answers health checks and describes itself.</summary>
public static class CollectionModule
{
    public const string Name = "collection";
    public const int Port = 5102;

    public static readonly ServiceInfo Info = new(Name, "community information collection", "Community collectors' desk: one person, one form; cleared every day; transmitted at once.", Port);

    public static IHostApplicationBuilder AddCollection(this IHostApplicationBuilder builder)
    {
        builder.AddOpenApiDocument(Name, "PopInfo collection — community information collection");
        return builder;
    }

    public static IEndpointRouteBuilder MapCollection(this IEndpointRouteBuilder app) => Info.MapServiceInfo(app);
}
