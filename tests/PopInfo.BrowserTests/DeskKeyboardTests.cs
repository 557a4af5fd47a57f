using System.Globalization;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The desk without the mouse (docs/desk.md, "Keyboard"): a birth entered and submitted with the keyboard alone, every
/// keystroke counted — at most the characters of the values typed plus 25.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskKeyboardTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    /// <summary>The issue's budget: keystrokes beyond the values' own characters.</summary>
    private const int Overhead = 25;

    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task A_birth_is_entered_and_submitted_from_the_keyboard_within_its_values_plus_25_keystrokes()
    {
        var community = RegionCatalogue.Wuxi.Communities[11].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "赵敏");
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-3);
        var child = ChildNumbers.Next(community, birth, girl: true);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        // From here on the keyboard alone.
        var keys = new CountedKeys(page.Keyboard);
        await keys.PressAsync("Alt+KeyN");
        await Expect(page.GetByTestId("new-form-birth")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(page.GetByTestId("field-idNumber")).ToBeFocusedAsync();

        await keys.TypeAsync(child);
        await keys.PressAsync("Enter"); // Enter moves to the next field, as Tab does.
        await keys.TypeAsync("李小红");
        await keys.PressAsync("Tab");
        await keys.TypeAsync("2"); // A list takes the first characters of its entry ("2 女").
        await Expect(page.GetByTestId("field-sex")).ToHaveValueAsync("2");
        await keys.PressAsync("Tab");
        await keys.TypeAsync(birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture)); // Eight digits, made a date on leaving the field.
        await keys.PressAsync("Tab");
        await Expect(page.GetByTestId("field-birthDate")).ToHaveValueAsync(birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await keys.TypeAsync("01");
        await Expect(page.GetByTestId("field-ethnicity")).ToHaveValueAsync("01");

        // The optional fields wanted here, by Tab; region fields still take a typed code.
        await keys.TabToAsync(page.GetByTestId("field-registeredRegionCode"));
        await keys.TypeAsync(community);
        await keys.TabToAsync(page.GetByTestId("field-motherIdNumber"));
        await keys.TypeAsync(mother);
        await keys.PressAsync("Control+Enter");

        var editor = page.GetByTestId("form-editor");
        await Expect(editor).ToBeHiddenAsync();
        var form = page.GetByTestId("form-item").Filter(new() { HasText = child });
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", DeskPages.RegistryAnswer);
        // The next birth is one Enter away.
        await Expect(page.GetByTestId("new-form-birth")).ToBeFocusedAsync();

        output.WriteLine($"keystrokes: {keys.Strokes} for {keys.Typed} characters of values (budget {keys.Typed + Overhead}): {string.Join(" ", keys.Log)}");
        Assert.True(keys.Strokes <= keys.Typed + Overhead,
            $"{keys.Strokes} keystrokes for {keys.Typed} characters of values: more than {Overhead} beyond them.");
        await Screenshots.SaveAsync(page, output);

        // A refusal puts the focus on its first field in error (here the name, left empty), still without the mouse.
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("field-idNumber")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ChildNumbers.Next(community, birth, girl: true));
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.GetByTestId("field-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByTestId("field-name")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("field-idNumber")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Empty(errors);
    }
}
