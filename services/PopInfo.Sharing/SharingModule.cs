using PopInfo.ServiceDefaults;

namespace PopInfo.Sharing;

/// <summary>information sharing service. Its capability is built by a later issue; until then it runs, answers health checks and describes itself.</summary>
public static class SharingModule
{
    public const string Name = "sharing";
    public const int Port = 5104;

    public static readonly ServiceInfo Info = new(Name, "information sharing service", "Authorised departments look up and verify people; every read is audited.", Port);

    public static IHostApplicationBuilder AddSharing(this IHostApplicationBuilder builder)
    {
        builder.AddOpenApiDocument(Name, "PopInfo sharing — information sharing service");
        return builder;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder app) => Info.MapServiceInfo(app);
}
