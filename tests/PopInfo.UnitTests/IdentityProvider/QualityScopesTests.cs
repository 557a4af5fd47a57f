using PopInfo.Domain.Access;
using PopInfo.Identity.Clients;
using PopInfo.Identity.Server;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.UnitTests.IdentityProvider;

/// <summary>Least privilege for the data-quality scopes (docs/data-quality.md): who the provider may give each to.</summary>
public class QualityScopesTests
{
    [Fact]
    public void Counts_go_to_operators_and_the_monitoring_client_only()
    {
        Assert.Equal([PlatformRoles.Operator], PeopleClaims.ScopesOf.Where(r => r.Value.Contains(PlatformScopes.RegistryQuality)).Select(r => r.Key));
        Assert.Equal(["monitoring"], ServiceClients.ScopesOf.Where(c => c.Value.Contains(PlatformScopes.RegistryQuality)).Select(c => c.Key));
    }

    [Fact]
    public void The_list_goes_to_collectors_and_supervisors_only_and_to_no_service()
    {
        Assert.Equal([PlatformRoles.Collector, PlatformRoles.Supervisor],
            PeopleClaims.ScopesOf.Where(r => r.Value.Contains(PlatformScopes.RegistryQualityIssues)).Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ServiceClients.ScopesOf.Values, granted => granted.Contains(PlatformScopes.RegistryQualityIssues));
        Assert.Equal(["registry.quality", "registry.quality.issues"], [PlatformScopes.RegistryQuality, PlatformScopes.RegistryQualityIssues]);
        Assert.Equal("popinfo-registry", PlatformScopes.AudienceOf[PlatformScopes.RegistryQualityIssues]);
    }
}
