namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// Who may use whose code. Each rule is checked twice: on the assembly references the compiler wrote (a reference
/// with no type used is dropped by the compiler, so this is what the service really loads) and on the types' own
/// dependencies (fields, signatures, calls), which names the type that breaks the rule.
/// </summary>
public sealed class ServiceBoundaryTests
{
    public static TheoryData<string> Services => [.. PopInfoAssemblies.Services];

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_uses_no_other_service_and_not_the_host(string service)
    {
        string[] forbidden = [.. PopInfoAssemblies.Services.Where(other => other != service), PopInfoAssemblies.Host];

        Assert.Empty(PopInfoAssemblies.References(service).Intersect(forbidden));
        Assert.Empty(PopInfoAssemblies.TypesDependingOn(service, forbidden));
    }

    /// <summary>
    /// The control of the rule above: the composition root does reference every service, in its assembly and in its
    /// types, so both checks can see a reference when there is one; and the list of services is complete.
    /// </summary>
    [Fact]
    public void The_host_uses_every_service_and_the_list_of_services_is_complete()
    {
        string[] notServices = [PopInfoAssemblies.ServiceDefaults, PopInfoAssemblies.Domain, PopInfoAssemblies.Contracts];
        var servicesTheHostReferences = PopInfoAssemblies.References(PopInfoAssemblies.Host)
            .Where(name => name.StartsWith("PopInfo.", StringComparison.Ordinal) && !notServices.Contains(name));

        Assert.Equal(PopInfoAssemblies.Services.Order(StringComparer.Ordinal), servicesTheHostReferences);
        foreach (var service in PopInfoAssemblies.Services)
            Assert.NotEmpty(PopInfoAssemblies.TypesDependingOn(PopInfoAssemblies.Host, service));
    }

    public static TheoryData<string> SharedModels => [PopInfoAssemblies.Domain, PopInfoAssemblies.Contracts];

    [Theory]
    [MemberData(nameof(SharedModels))]
    public void Contracts_and_the_domain_use_no_service_nor_the_service_defaults(string assembly)
    {
        string[] forbidden = [.. PopInfoAssemblies.Services, PopInfoAssemblies.Host, PopInfoAssemblies.ServiceDefaults];

        Assert.Empty(PopInfoAssemblies.References(assembly).Intersect(forbidden));
        Assert.Empty(PopInfoAssemblies.TypesDependingOn(assembly, forbidden));
    }

    /// <summary>The domain is pure rules: no web framework, no database (driver, ADO.NET, Dapper, EF Core), no broker.</summary>
    [Fact]
    public void The_domain_uses_no_web_framework_database_or_messaging()
    {
        string[] forbidden =
        [
            "Microsoft.AspNetCore", "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient", "Dapper",
            "Microsoft.EntityFrameworkCore", "System.Data", "MassTransit", "RabbitMQ.Client",
        ];

        Assert.DoesNotContain(PopInfoAssemblies.References(PopInfoAssemblies.Domain),
            reference => forbidden.Any(name => reference == name || reference.StartsWith(name + ".", StringComparison.Ordinal)));
        Assert.Empty(PopInfoAssemblies.TypesDependingOn(PopInfoAssemblies.Domain, forbidden));
    }
}
