using PopInfo.Domain.Counties;

namespace PopInfo.UnitTests.Counties;

/// <summary>
/// Searching the shipped list: best match first (the name itself, a name starting with the text, a name containing it,
/// the full name containing it); among equal matches entries in use first, then the most recently ended.
/// </summary>
public class CountySearchTests
{
    private static CountyCatalogue China => CountyCatalogue.China;

    private static List<string> Found(string query, int limit = 50) =>
        China.Search(query, limit).Select(e => $"{e.Code} {e.Name}{(e.InUse ? "" : " " + e.ToYear)}").ToList();

    [Fact]
    public void A_name_in_use_in_four_cities_lists_all_four_by_code()
    {
        Assert.Equal(["320106 鼓楼区", "320302 鼓楼区", "350102 鼓楼区", "410204 鼓楼区"], Found("鼓楼区"));
    }

    [Fact]
    public void Abolished_counties_come_latest_first_with_their_end_year()
    {
        Assert.Equal(["320202 崇安区 2015", "352126 崇安县 1989", "352126 崇安县 1988"], Found("崇安"));
    }

    [Fact]
    public void A_part_of_the_name_and_then_of_the_full_name_matches_in_that_order()
    {
        var found = Found("无锡");

        // Names starting with 无锡 (in use, then ended), before the districts whose full name says 无锡市.
        Assert.Equal(["320200 无锡市", "320222 无锡县 1995", "322722 无锡县 1983"], found.Take(3));
        Assert.Equal(["320205 锡山区", "320206 惠山区", "320211 滨湖区", "320213 梁溪区", "320214 新吴区", "320281 江阴市", "320282 宜兴市"],
            found.Skip(3).Take(7));
        Assert.Contains("320202 崇安区 2015", found.Skip(10));
    }

    [Fact]
    public void Digits_search_codes_by_prefix_the_code_itself_first()
    {
        var found = Found("320211");

        Assert.Equal(["320211 滨湖区", "320211 郊区 2000"], found);
        Assert.Equal(["320205 锡山区", "320206 惠山区", "320211 滨湖区", "320213 梁溪区", "320214 新吴区", "320281 江阴市", "320282 宜兴市", "320200 无锡市"],
            Found("3202").Take(8));
        Assert.Equal(17, Found("3202").Count);
    }

    [Fact]
    public void The_limit_caps_the_answer_and_an_unmatched_or_blank_query_finds_nothing()
    {
        Assert.Equal(3, China.Search("区", 3).Count);
        Assert.Empty(China.Search("不存在的县", 10));
        Assert.Empty(China.Search("  ", 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => China.Search("无锡", 0));
    }

    [Fact]
    public void A_query_is_trimmed()
    {
        Assert.Equal(Found("梁溪区"), Found(" 梁溪区 "));
        Assert.Equal("320213 梁溪区", Assert.Single(Found("梁溪区")));
    }
}
