using PopInfo.Identity.Clients;
using PopInfo.Identity.Server;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.UnitTests.IdentityProvider;

/// <summary>Least privilege for the audit search's scopes (docs/monitoring.md, "Audit search"): the monitoring client's only.</summary>
public class AuditSearchScopesTests
{
    private static readonly string[] Scopes =
        [PlatformScopes.RegistryAuditSearch, PlatformScopes.CollectionAuditSearch, PlatformScopes.ExchangeAuditSearch, PlatformScopes.SharingAuditSearch];

    [Fact]
    public void Each_goes_to_the_monitoring_client_and_to_no_person()
    {
        foreach (var scope in Scopes)
        {
            Assert.Equal(["monitoring"], ServiceClients.ScopesOf.Where(c => c.Value.Contains(scope)).Select(c => c.Key));
            Assert.DoesNotContain(PeopleClaims.ScopesOf.Values, granted => granted.Contains(scope));
        }
    }

    [Fact]
    public void Each_opens_its_own_service_only()
    {
        Assert.Equal(["popinfo-registry", "popinfo-collection", "popinfo-exchange", "popinfo-sharing"], Scopes.Select(s => PlatformScopes.AudienceOf[s]));
        // The access report's scopes stay apart: the monitoring client is not given them.
        Assert.DoesNotContain(PlatformScopes.RegistryAudit, ServiceClients.ScopesOf["monitoring"]);
        Assert.DoesNotContain(PlatformScopes.ExchangeAudit, ServiceClients.ScopesOf["monitoring"]);
    }
}
