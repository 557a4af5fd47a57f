using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// A desk session ends when its account is disabled or its password changes — at the next check (every request in
/// tests, at most 30 s in production), not when the 8-hour cookie runs out.
/// </summary>
public sealed class DeskSessionTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task Disabling_the_account_ends_its_open_session_and_enabling_does_not_revive_it()
    {
        using var admin = await fixture.SignInAsync("admin", CollectionHost.AdminPassword);
        using var collector = await fixture.SignInAsync("collector-b");
        Assert.Equal(200, (await collector.GetJsonAsync("/api/v1/session")).Status);

        Assert.Equal(204, (await admin.PostAsync("/api/v1/accounts/collector-b/disable", new { })).Status);
        Assert.Equal(401, (await collector.GetJsonAsync("/api/v1/session")).Status);

        Assert.Equal(204, (await admin.PostAsync("/api/v1/accounts/collector-b/enable", new { })).Status);
        Assert.Equal(401, (await collector.GetJsonAsync("/api/v1/session")).Status);
        using var again = await fixture.SignInAsync("collector-b");
        Assert.Equal(200, (await again.GetJsonAsync("/api/v1/session")).Status);
    }

    [Fact]
    public async Task A_new_password_ends_the_sessions_made_with_the_old_one()
    {
        using var admin = await fixture.SignInAsync("admin", CollectionHost.AdminPassword);
        using var supervisor = await fixture.SignInAsync("supervisor");
        Assert.Equal(200, (await supervisor.GetJsonAsync("/api/v1/session")).Status);

        Assert.Equal(204, (await admin.PostAsync("/api/v1/accounts/supervisor/password", new { password = DeskFixture.Password + "-new" })).Status);
        Assert.Equal(401, (await supervisor.GetJsonAsync("/api/v1/session")).Status);
        using var renewed = await fixture.SignInAsync("supervisor", DeskFixture.Password + "-new");
        Assert.Equal(200, (await renewed.GetJsonAsync("/api/v1/session")).Status);
        Assert.Equal(204, (await admin.PostAsync("/api/v1/accounts/supervisor/password", new { password = DeskFixture.Password })).Status);
    }
}
