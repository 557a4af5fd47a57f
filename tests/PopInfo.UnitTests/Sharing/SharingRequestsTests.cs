using PopInfo.Domain.Sharing;

namespace PopInfo.UnitTests.Sharing;

public class SharingRequestsTests
{
    [Theory]
    [InlineData("2026-入学-00123", null, null)]
    [InlineData("2026-入学-00123", "wang.li@school-7", null)]
    [InlineData(null, null, GrantRules.CaseReference)]
    [InlineData("  ", null, GrantRules.CaseReference)]
    [InlineData("case\u0000x", null, GrantRules.CaseReference)]
    [InlineData("case\u202Ex", null, GrantRules.CaseReference)]
    [InlineData("2026-00123", "", GrantRules.EndUser)]
    [InlineData("2026-00123", "王丽", GrantRules.EndUser)]
    [InlineData("2026-00123", "a b", GrantRules.EndUser)]
    public void Case_reference_and_end_user_are_checked_for_form(string? caseReference, string? endUser, string? rule)
    {
        Assert.Equal(rule, SharingRequests.Problem(caseReference, endUser)?.Rule);
    }

    [Fact]
    public void Lengths_are_limited()
    {
        Assert.Null(SharingRequests.Problem(new string('x', SharingRequests.MaxCaseReference), new string('y', SharingRequests.MaxEndUser)));
        Assert.Equal(GrantRules.CaseReference, SharingRequests.Problem(new string('x', SharingRequests.MaxCaseReference + 1), null)?.Rule);
        Assert.Equal(GrantRules.EndUser, SharingRequests.Problem("c", new string('y', SharingRequests.MaxEndUser + 1))?.Rule);
    }

    [Fact]
    public void Purposes_are_unique_named_in_both_languages_and_some_are_withheld()
    {
        Assert.Equal(SharingPurposes.All.Count, SharingPurposes.All.Select(p => p.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(SharingPurposes.All, p => Assert.False(string.IsNullOrWhiteSpace(p.NameZh) || string.IsNullOrWhiteSpace(p.NameEn)));
        Assert.Contains(SharingPurposes.All, p => p.WithheldFromPerson);
        Assert.True(SharingPurposes.IsKnown("school-enrolment"));
        Assert.False(SharingPurposes.IsKnown("School-Enrolment"));
    }

    [Fact]
    public void The_access_report_withholds_the_marked_purposes_and_the_configured_ones()
    {
        Assert.Equal(["criminal-investigation", "state-security"], SharingPurposes.Withheld([]).Order(StringComparer.Ordinal));
        Assert.Equal(["criminal-investigation", "state-security", "tax-administration"],
            SharingPurposes.Withheld([" tax-administration ", "", null, "   "]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Tax-Administration", SharingPurposes.Withheld(["tax-administration"]));
    }
}
