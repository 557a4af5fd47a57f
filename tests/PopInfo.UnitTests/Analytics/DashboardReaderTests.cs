using System.Security.Claims;
using PopInfo.Analytics.Dashboard;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.UnitTests.Analytics;

/// <summary>Who the analytics API takes: a token with analytics.read for the analytics service, or a planner's dashboard session.</summary>
public sealed class DashboardReaderTests
{
    private static ClaimsIdentity Token(string scope, string audience, string? role = null) => new(
        [new("scope", scope), new("aud", audience), .. role is null ? Array.Empty<Claim>() : [new Claim("role", role)]], "AuthenticationTypes.Federation");

    private static ClaimsIdentity Session(string scheme, string role) => new([new(ClaimTypes.Name, "someone"), new(ClaimTypes.Role, role)], scheme);

    [Fact]
    public void A_token_with_analytics_read_for_the_analytics_service_is_a_reader()
    {
        Assert.True(DashboardAuthentication.IsReader(new ClaimsPrincipal(Token(PlatformScopes.AnalyticsRead, PlatformScopes.Audience("analytics")))));
    }

    [Fact]
    public void A_token_for_another_service_or_with_another_scope_is_not()
    {
        Assert.False(DashboardAuthentication.IsReader(new ClaimsPrincipal(Token(PlatformScopes.AnalyticsRead, PlatformScopes.Audience("registry")))));
        Assert.False(DashboardAuthentication.IsReader(new ClaimsPrincipal(Token(PlatformScopes.RegistryRead, PlatformScopes.Audience("analytics")))));
    }

    [Fact]
    public void A_persons_token_with_the_planner_role_but_no_scope_is_not_a_dashboard_session()
    {
        Assert.False(DashboardAuthentication.IsReader(new ClaimsPrincipal(Token("openid", PlatformScopes.Audience("analytics"), "planner"))));
    }

    [Fact]
    public void Only_the_dashboards_own_session_of_a_planner_is_a_reader()
    {
        Assert.True(DashboardAuthentication.IsReader(new ClaimsPrincipal(Session(DashboardAuthentication.Scheme, "planner"))));
        Assert.False(DashboardAuthentication.IsReader(new ClaimsPrincipal(Session(DashboardAuthentication.Scheme, "collector"))));
        Assert.False(DashboardAuthentication.IsReader(new ClaimsPrincipal(Session("popinfo-desk", "planner"))));
    }

    [Theory]
    [InlineData("/dashboard?x=1", "/dashboard?x=1")]
    [InlineData("https://evil.example/", "/dashboard")]
    [InlineData("//evil.example/", "/dashboard")]
    [InlineData("/\\evil.example", "/dashboard")]
    [InlineData("", "/dashboard")]
    [InlineData(null, "/dashboard")]
    public void A_return_address_is_only_a_path_of_the_service(string? returnUrl, string expected)
    {
        Assert.Equal(expected, PeopleSignInEndpoints.SafeReturnUrl(returnUrl, "/dashboard"));
    }

    [Fact]
    public void A_planner_acts_city_wide_and_other_roles_are_refused_by_name()
    {
        var dashboard = DashboardAuthentication.Application;
        Assert.Equal(["planner"], dashboard.Roles);
        Assert.Equal("role.dashboard", dashboard.RoleRule);
        Assert.Null(dashboard.RegionRule("planner", null, null!));
        Assert.Equal("region.none", dashboard.RegionRule("planner", "320205", null!));
        Assert.NotEqual(dashboard.CallbackPath, PopInfo.Collection.Accounts.DeskAuthentication.Application.CallbackPath);
        Assert.NotEqual(dashboard.CookieName, PopInfo.Collection.Accounts.DeskAuthentication.Application.CookieName);
    }
}
