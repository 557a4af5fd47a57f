using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Testing;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>What the desk's browser tests share: a collector of a community, signing in, a resident in the register.</summary>
public static class DeskPages
{
    public const string Password = "collector-password-1";

    public static readonly Uri Registry = new("http://127.0.0.1:5101/");

    /// <summary>How long the registry may take to answer a submitted form (in-memory bus: usually well under a second).</summary>
    public static readonly LocatorAssertionsToHaveTextOptions RegistryAnswer = new() { Timeout = 30_000 };

    /// <summary>As an administrator, over the identity provider's API: a collector of the community, with a user name of its own.</summary>
    public static Task<string> CreateCollectorAsync(string community, string displayName) =>
        PeoplePages.CreateAccountAsync("collector", community, displayName, Password);

    /// <summary>From the desk's page to the identity provider's sign-in page and, with the right password, back.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password = Password)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await PeoplePages.SignInAtProviderAsync(page, userName, password);
    }

    /// <summary>Signed in and at the desk with today's forms read (the list shows something).</summary>
    public static async Task SignInAndWaitAsync(IPage page, Uri desk, string userName)
    {
        await page.GotoAsync(desk.ToString());
        await SignInAsync(page, userName);
        await Expect(page).ToHaveURLAsync(desk.ToString());
        await Expect(page.GetByTestId("new-form-birth")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("report-cleared")).ToBeVisibleAsync();
    }

    /// <summary>A living person registered in the community, directly at the registry; returns their identity number and person id.</summary>
    public static async Task<(string IdNumber, Guid PersonId)> RegisterResidentAsync(string community, string sex = "2")
    {
        using var registry = ServiceProcess.RegistryClient(Registry);
        var body = People.ResidentOf(community, sex);
        var (status, created) = await registry.PostAsync("/api/v1/persons", body);
        Assert.True(status == 201, $"Registering a resident failed: {status} {created}");
        var idNumber = (string)body["idNumber"]!;
        var (found, person) = await registry.GetJsonAsync($"/api/v1/persons/by-id-number/{idNumber}");
        Assert.Equal(200, found);
        return (idNumber, Guid.Parse((string)person["person"]!["personId"]!));
    }
}
