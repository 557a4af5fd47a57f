using System.Xml.Linq;

namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// The rules of <see cref="ServiceBoundaryTests"/> on the project files too: the compiler leaves out of an assembly
/// a reference none of its types uses, but a project reference still builds and ships the other project with it.
/// The project files of services/ and contracts/ are copied next to the tests (Architecture/Projects).
/// </summary>
public sealed class ProjectReferenceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Architecture", "Projects");

    /// <summary>The projects each project file references, by name (PopInfo.Registry for ../PopInfo.Registry/PopInfo.Registry.csproj).</summary>
    private static List<string> ProjectReferences(string project) =>
        [.. XDocument.Load(Path.Combine(Folder, project + ".csproj"))
            .Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')))];

    [Fact]
    public void Every_project_of_services_and_contracts_has_a_role_in_the_architecture_tests()
    {
        var projects = Directory.GetFiles(Folder, "*.csproj").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(PopInfoAssemblies.All.Order(StringComparer.Ordinal), projects);
    }

    public static TheoryData<string> Services => [.. PopInfoAssemblies.Services];

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_project_references_no_other_service_nor_the_host(string service)
    {
        string[] forbidden = [.. PopInfoAssemblies.Services.Where(other => other != service), PopInfoAssemblies.Host];

        Assert.Empty(ProjectReferences(service).Intersect(forbidden));
    }

    [Fact]
    public void The_host_project_references_every_service()
    {
        Assert.Empty(PopInfoAssemblies.Services.Except(ProjectReferences(PopInfoAssemblies.Host)));
    }

    [Fact]
    public void The_gateway_project_references_the_service_defaults_only()
    {
        Assert.Equal([PopInfoAssemblies.ServiceDefaults], ProjectReferences(PopInfoAssemblies.Gateway));
    }

    public static TheoryData<string> SharedModels => [PopInfoAssemblies.Domain, PopInfoAssemblies.Contracts];

    [Theory]
    [MemberData(nameof(SharedModels))]
    public void The_contracts_and_domain_projects_reference_no_service_nor_the_service_defaults(string project)
    {
        string[] forbidden = [.. PopInfoAssemblies.Services, PopInfoAssemblies.Host, PopInfoAssemblies.ServiceDefaults];

        Assert.Empty(ProjectReferences(project).Intersect(forbidden));
    }
}
