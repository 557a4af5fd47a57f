using PopInfo.Domain.Access;

namespace PopInfo.UnitTests.Access;

public sealed class AuditorOnBehalfTests
{
    [Fact]
    public void A_persons_token_speaks_for_that_person()
    {
        Assert.Equal(("audit-li", (string?)null), AuditorOnBehalf.Check(PlatformRoles.Auditor, "audit-li", null));
        Assert.Equal(("audit-li", (string?)null), AuditorOnBehalf.Check(PlatformRoles.Auditor, "audit-li", "audit-li"));
        Assert.Equal(((string?)null, AuditorOnBehalf.Self), AuditorOnBehalf.Check(PlatformRoles.Auditor, "audit-li", "audit-wang"));
    }

    [Fact]
    public void A_services_token_names_the_auditor_by_a_user_name()
    {
        Assert.Equal(("audit-wang", (string?)null), AuditorOnBehalf.Check(null, "popinfo-sharing", "audit-wang"));
        Assert.Equal(((string?)null, AuditorOnBehalf.Required), AuditorOnBehalf.Check(null, "popinfo-sharing", null));
        Assert.Equal(((string?)null, AuditorOnBehalf.Required), AuditorOnBehalf.Check(null, "popinfo-sharing", ""));
        Assert.Equal(((string?)null, AuditorOnBehalf.Format), AuditorOnBehalf.Check(null, "popinfo-sharing", "王 芳"));
        Assert.Equal(((string?)null, AuditorOnBehalf.Format), AuditorOnBehalf.Check(null, "popinfo-sharing", "ab"));
    }
}
