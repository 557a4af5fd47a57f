using Microsoft.Playwright;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests.Browser;

/// <summary>What the tests of the pages people sign in to share: accounts at the embedded provider, its sign-in page, the browser's errors.</summary>
public static class PeoplePages
{
    /// <summary>As an administrator, over the identity provider's API: an account of the role, with a user name of its own.</summary>
    public static async Task<string> CreateAccountAsync(string role, string? regionCode, string displayName, string password)
    {
        using var admin = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5107/") };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.IdentityAdmin], subject: "admin", role: "admin"));
        var userName = role + "-" + Guid.NewGuid().ToString("N")[..12];
        var (created, account) = await admin.PostAsync("/api/v1/accounts", new { userName, displayName, role, regionCode, password });
        Assert.True(created == 201, $"Creating the {role} failed: {created} {account}");
        return userName;
    }

    /// <summary>At the identity provider's sign-in page (where a page's sign-in link led): the user name and password, then back.</summary>
    public static async Task SignInAtProviderAsync(IPage page, string userName, string password)
    {
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^http://127\\.0\\.0\\.1:5107/account/sign-in"));
        await page.GetByLabel("用户名 User name").FillAsync(userName);
        await page.GetByLabel("密码 Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
    }

    /// <summary>Script errors and refusals by the content security policy; failed API calls are the page's business.</summary>
    public static List<string> WatchForErrors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        return errors;
    }
}
