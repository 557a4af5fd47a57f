using System.Reflection;
using NetArchTest.Rules;

namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// The platform's assemblies by role, loaded by name from the tests' output folder (the project references them all),
/// and the two ways the architecture tests look at them: the assemblies each one references, and the types in it that
/// depend on a namespace or type (NetArchTest reads the IL: fields, signatures, locals, calls, attributes).
/// </summary>
internal static class PopInfoAssemblies
{
    /// <summary>The services: each runs alone, and none may use another's code (they talk over HTTP and the broker).</summary>
    public static readonly string[] Services =
    [
        "PopInfo.Registry", "PopInfo.Collection", "PopInfo.Exchange", "PopInfo.Analytics", "PopInfo.Sharing",
        "PopInfo.Monitoring", "PopInfo.Identity",
    ];

    /// <summary>The embedded mode's composition root: it may reference every service.</summary>
    public const string Host = "PopInfo.Host";

    /// <summary>The local reverse proxy in front of several instances of each service: it may use the service defaults only.</summary>
    public const string Gateway = "PopInfo.Gateway";

    /// <summary>Shared libraries every service may use.</summary>
    public const string ServiceDefaults = "PopInfo.ServiceDefaults";

    public const string Domain = "PopInfo.Domain";

    public const string Contracts = "PopInfo.Contracts";

    /// <summary>Every assembly of the platform's own code (the tools and tests aside).</summary>
    public static IEnumerable<string> All => [.. Services, Host, Gateway, ServiceDefaults, Domain, Contracts];

    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    /// <summary>The simple names of the assemblies <paramref name="assembly"/>'s metadata references.</summary>
    public static IReadOnlyList<string> References(string assembly) =>
        Load(assembly).GetReferencedAssemblies().Select(reference => reference.Name!).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The full names of the types in <paramref name="assembly"/> that depend on any of <paramref name="dependencies"/>:
    /// namespaces (everything under them) or types, by full name. NetArchTest compares whole name parts, so
    /// "PopInfo.Reg" matches nothing and "PopInfo.Registry" matches PopInfo.Registry.Data.PersonStore. A nested or
    /// compiler-generated type (a lambda's closure, an async method's state machine) counts as the top-level type it is
    /// written in.
    /// </summary>
    public static IReadOnlyList<string> TypesDependingOn(string assembly, params string[] dependencies) =>
        Types.InAssembly(Load(assembly))
            .That().HaveDependencyOnAny(dependencies)
            .GetTypes()
            .Select(TopLevel)
            .Select(type => type.FullName!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static Type TopLevel(Type type)
    {
        while (type.DeclaringType is { } declaring)
            type = declaring;
        return type;
    }
}
