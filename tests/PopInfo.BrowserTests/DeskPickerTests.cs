using System.Globalization;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The desk's pickers and the identity number (docs/desk.md, "Pickers and the identity number"): the number fills in
/// the birth date and the sex and shows the place of issue, a mismatch is flagged before submitting, a community is
/// chosen through the district → street → community lists with the keyboard, a county is found by name.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskPickerTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    /// <summary>The issue's keyboard budget: keystrokes beyond the values' own characters (as DeskKeyboardTests).</summary>
    private const int Overhead = 25;

    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task Typing_an_identity_number_fills_the_birth_date_and_sex_and_shows_the_place_of_issue()
    {
        var community = RegionCatalogue.Wuxi.Communities[40].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "孙芳");
        // 320202 is 崇安区, abolished in 2015 (its streets went to 梁溪区 320213): old cards still carry it.
        var number = IdentityNumber.Create("320202", new DateOnly(1990, 5, 17), 123);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        var urls = new List<string>();
        page.Request += (_, request) => urls.Add(request.Url);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        await page.GetByTestId("new-form-birth").ClickAsync();
        await page.GetByTestId("field-idNumber").FillAsync(number);
        await Expect(page.GetByTestId("field-birthDate")).ToHaveValueAsync("1990-05-17");
        await Expect(page.GetByTestId("field-sex")).ToHaveValueAsync("1"); // 17th digit 3: odd, a man.
        var place = page.GetByTestId("identity-place");
        await Expect(place).ToContainTextAsync("崇安区");
        await Expect(place).ToHaveAttributeAsync("data-status", "abolished");
        await Expect(place.GetByTestId("county-ended")).ToContainTextAsync("已撤销");
        await Expect(place.GetByTestId("county-ended")).ToContainTextAsync("梁溪区 320213");
        await Expect(place.GetByTestId("county-ended")).ToContainTextAsync("2015");
        await Expect(page.GetByTestId("identity-check")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("identity-birth")).ToContainTextAsync("1990-05-17");
        await Screenshots.SaveAsync(page, output);

        // A wrong last character is said at once, with the server's rule.
        var wrong = number[..17] + (number[17] == '0' ? '1' : '0');
        await page.GetByTestId("field-idNumber").FillAsync(wrong);
        await Expect(page.GetByTestId("identity-check")).ToContainTextAsync("id-number.check-character");
        await Expect(page.GetByTestId("identity-check")).ToContainTextAsync(number[17..]);

        // A 15-digit number of before 1999: 19YYMMDD, the sex from the 15th digit; filled only where empty.
        await page.GetByTestId("field-birthDate").FillAsync("");
        await page.GetByTestId("field-sex").SelectOptionAsync("");
        await page.GetByTestId("field-idNumber").FillAsync("320213851103124");
        await Expect(page.GetByTestId("field-birthDate")).ToHaveValueAsync("1985-11-03");
        await Expect(page.GetByTestId("field-sex")).ToHaveValueAsync("2");
        await Expect(page.GetByTestId("identity-place")).ToContainTextAsync("梁溪区");
        await Expect(page.GetByTestId("identity-place").GetByTestId("county-ended")).ToHaveCountAsync(0);

        // Only the first six digits went into a URL.
        Assert.DoesNotContain(urls, u => u.Contains(number[..7], StringComparison.Ordinal) || u.Contains("320213851", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.EndsWith("/api/v1/reference/counties/320202", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_birth_date_or_sex_typed_otherwise_than_the_number_is_flagged_before_submitting_and_refused_on_submit()
    {
        var community = RegionCatalogue.Wuxi.Communities[41].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "周婷");
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-2);
        var child = ChildNumbers.Next(community, birth, girl: true); // even: a girl

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        await page.GetByTestId("new-form-birth").ClickAsync();
        await page.GetByTestId("field-idNumber").FillAsync(child);
        await Expect(page.GetByTestId("field-sex")).ToHaveValueAsync("2");
        await Expect(page.GetByTestId("mismatch-sex")).ToBeEmptyAsync();

        // Typed otherwise: flagged at the field at once, nothing sent.
        var other = birth.AddDays(-1);
        await page.GetByTestId("field-birthDate").FillAsync(other.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("mismatch-birthDate")).ToContainTextAsync("birth-date.matches-id-number");
        await Expect(page.GetByTestId("mismatch-birthDate")).ToContainTextAsync("出生日期与身份号码不符");
        await Expect(page.GetByTestId("field-birthDate")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByTestId("field-sex").SelectOptionAsync("1");
        await Expect(page.GetByTestId("mismatch-sex")).ToContainTextAsync("sex.matches-id-number");
        await Expect(page.GetByTestId("field-sex")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByTestId("form-item")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, output);

        // The sex put right: its flag goes; the birth date left wrong is refused by the server under the same rule.
        await page.GetByTestId("field-sex").SelectOptionAsync("2");
        await Expect(page.GetByTestId("mismatch-sex")).ToBeEmptyAsync();
        await Expect(page.GetByTestId("field-sex")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByTestId("field-name").FillAsync("王小雨");
        await page.GetByTestId("field-ethnicity").SelectOptionAsync("01");
        await page.GetByTestId("field-motherIdNumber").FillAsync(mother);
        await page.GetByTestId("submit-form").ClickAsync();
        await Expect(page.GetByTestId("error-birthDate")).ToContainTextAsync("birth-date.matches-id-number");
        await Expect(page.GetByTestId("mismatch-birthDate")).ToContainTextAsync("birth-date.matches-id-number");
        await Expect(page.GetByTestId("form-item")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_birth_is_entered_with_the_region_lists_from_the_keyboard_within_its_values_plus_25_keystrokes()
    {
        var region = RegionCatalogue.Wuxi.Communities[57];
        var community = region.Code;
        var street = RegionCatalogue.Wuxi.All.Single(r => r.Code == region.ParentCode);
        var district = RegionCatalogue.Wuxi.DistrictOf(community)!;
        var collector = await DeskPages.CreateCollectorAsync(community, "钱进");
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-4);
        var child = ChildNumbers.Next(community, birth, girl: false);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        var keys = new CountedKeys(page.Keyboard);
        await keys.PressAsync("Alt+KeyN");
        await Expect(page.GetByTestId("new-form-birth")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(page.GetByTestId("field-idNumber")).ToBeFocusedAsync();
        await keys.TypeAsync(child);
        // The number typed the birth date and the sex.
        await Expect(page.GetByTestId("field-birthDate")).ToHaveValueAsync(birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("field-sex")).ToHaveValueAsync("1");
        await keys.PressAsync("Enter");
        await keys.TypeAsync("陈小军");
        await keys.TabToAsync(page.GetByTestId("field-ethnicity"));
        await keys.TypeAsync("01");

        // The registration's community through the three lists: each takes the digits its level adds to the code
        // (district 6, street 3, community 3: the twelve of the code, typed across the lists).
        var districtList = page.GetByTestId("picker-registeredRegionCode-district");
        var streetList = page.GetByTestId("picker-registeredRegionCode-street");
        var communityList = page.GetByTestId("picker-registeredRegionCode-community");
        await keys.TabToAsync(districtList);
        await keys.TypeAsync(community[..6]);
        await Expect(districtList).ToHaveValueAsync(district.Code);
        await Expect(streetList).ToBeEnabledAsync();
        await keys.PressAsync("Tab");
        await Expect(streetList).ToBeFocusedAsync();
        await keys.TypeAsync(community[6..9]);
        await Expect(streetList).ToHaveValueAsync(street.Code);
        await Expect(communityList).ToBeEnabledAsync();
        await keys.PressAsync("Tab");
        await Expect(communityList).ToBeFocusedAsync();
        await keys.TypeAsync(community[9..]);
        await Expect(communityList).ToHaveValueAsync(community);
        await Expect(page.GetByTestId("field-registeredRegionCode")).ToHaveValueAsync(community);
        var names = page.GetByTestId("picker-registeredRegionCode-names");
        await Expect(names).ToContainTextAsync(district.Name);
        await Expect(names).ToContainTextAsync(street.Name);
        await Expect(names).ToContainTextAsync(region.Name);
        await Expect(names.GetByTestId("name-generated")).ToContainTextAsync("生成名称");

        await keys.TabToAsync(page.GetByTestId("field-motherIdNumber"));
        await keys.TypeAsync(mother);
        await keys.PressAsync("Control+Enter");

        await Expect(page.GetByTestId("form-editor")).ToBeHiddenAsync();
        var form = page.GetByTestId("form-item").Filter(new() { HasText = child });
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", DeskPages.RegistryAnswer);

        output.WriteLine($"keystrokes: {keys.Strokes} for {keys.Typed} characters of values (budget {keys.Typed + Overhead}): {string.Join(" ", keys.Log)}");
        Assert.True(keys.Strokes <= keys.Typed + Overhead,
            $"{keys.Strokes} keystrokes for {keys.Typed} characters of values: more than {Overhead} beyond them.");
        await Screenshots.SaveAsync(page, output);

        // A typed code is named too, and sets the lists.
        await page.GetByTestId("new-form-birth").ClickAsync();
        await page.GetByTestId("field-registeredRegionCode").FillAsync(community);
        await Expect(page.GetByTestId("picker-registeredRegionCode-community")).ToHaveValueAsync(community);
        await Expect(page.GetByTestId("picker-registeredRegionCode-names")).ToContainTextAsync(street.Name);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_county_search_finds_a_county_by_name_and_shows_an_abolished_one_with_its_years()
    {
        var community = RegionCatalogue.Wuxi.Communities[58].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "吴刚");

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        await page.GetByTestId("new-form-migrant-arrival").ClickAsync();
        var search = page.GetByTestId("county-search");
        await search.FillAsync("梁溪");
        var liangxi = page.GetByTestId("county-option").And(page.Locator("[data-code='320213']"));
        await Expect(liangxi).ToContainTextAsync("梁溪区");
        await Expect(liangxi).ToHaveAttributeAsync("data-status", "in-use");
        await Expect(search).ToHaveAttributeAsync("aria-expanded", "true");

        await search.FillAsync("崇安");
        var chongan = page.GetByTestId("county-option").And(page.Locator("[data-code='320202']"));
        await Expect(chongan).ToContainTextAsync("崇安区");
        await Expect(chongan).ToHaveAttributeAsync("data-status", "abolished");
        await Expect(chongan.GetByTestId("county-ended")).ToContainTextAsync("已撤销");
        await Expect(chongan.GetByTestId("county-ended")).ToContainTextAsync("2015");
        await Expect(chongan.GetByTestId("county-ended")).ToContainTextAsync("梁溪区 320213");
        await Screenshots.SaveAsync(page, output);

        // Chosen with the arrow keys and Enter: the code is filled in, the focus stays in the search.
        for (var i = 0; i < 20 && await chongan.GetAttributeAsync("aria-selected") != "true"; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        await Expect(chongan).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("field-originRegionCode")).ToHaveValueAsync("320202");
        await Expect(search).ToBeFocusedAsync();
        await Expect(page.GetByTestId("county-status")).ToContainTextAsync("崇安区");

        // A code typed by hand is still taken, and named.
        await page.GetByTestId("field-originRegionCode").FillAsync("320213");
        await Expect(page.GetByTestId("county-status")).ToContainTextAsync("梁溪区");
        Assert.Empty(errors);
    }
}
