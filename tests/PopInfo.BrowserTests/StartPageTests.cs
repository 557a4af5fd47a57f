using System.Text.Json;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>The start page of the embedded host (README's first command), as a person's browser shows it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StartPageTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private static readonly (string Name, int Port)[] Services =
        [("registry", 5101), ("collection", 5102), ("exchange", 5103), ("sharing", 5104), ("analytics", 5105), ("monitoring", 5106), ("identity", 5107)];

    [Fact]
    public async Task The_start_page_links_the_API_document_of_each_of_the_six_services()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(host.StartPage.ToString());
        await Screenshots.SaveAsync(page, output);

        Assert.Equal(200, response?.Status);
        await Expect(page).ToHaveTitleAsync("PopInfo 人口信息共享平台");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "OpenAPI", Exact = true })).ToHaveCountAsync(Services.Length);
        foreach (var (name, port) in Services)
        {
            var href = $"http://127.0.0.1:{port}/swagger/{name}/swagger.json";
            var link = page.Locator($"a[href='{href}']");
            await Expect(link).ToBeVisibleAsync();
            await Expect(link).ToHaveTextAsync("OpenAPI");

            // The link leads to that service's OpenAPI document.
            var document = await context.APIRequest.GetAsync(href);
            Assert.Equal(200, document.Status);
            var json = await document.JsonAsync();
            Assert.True(json?.TryGetProperty("openapi", out _), $"{href} is not an OpenAPI document");
            Assert.Equal(JsonValueKind.Object, json?.GetProperty("paths").ValueKind);
        }
    }
}
