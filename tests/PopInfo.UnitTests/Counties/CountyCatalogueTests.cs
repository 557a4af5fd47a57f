using PopInfo.Domain.Counties;

namespace PopInfo.UnitTests.Counties;

/// <summary>
/// The shipped county list (services/PopInfo.Domain/Counties/areacodes.csv, areacodes commit 2066ac5). The figures were
/// counted in the file with awk, and the Wuxi facts read from its lines, not from this code.
/// </summary>
public class CountyCatalogueTests
{
    private static CountyCatalogue China => CountyCatalogue.China;

    [Fact]
    public void The_list_has_every_prefecture_and_county_entry_of_the_file_and_no_province()
    {
        Assert.Equal(6789, China.Entries.Count);
        Assert.Equal(6416, China.CodeCount);
        Assert.Equal(2846, China.Entries.Count(e => e.InUse && e.Level == CountyLevel.County));
        Assert.Equal(333, China.Entries.Count(e => e.InUse && e.Level == CountyLevel.Prefecture));
        Assert.Equal(3237, China.Entries.Count(e => e.Status == CountyStatus.Abolished));
        Assert.Equal(373, China.Entries.Count(e => e.Status == CountyStatus.Changed));
        Assert.DoesNotContain(China.Entries, e => e.Code.EndsWith("0000", StringComparison.Ordinal));
    }

    [Fact]
    public void Liangxi_is_a_county_of_Wuxi_in_use_since_2015()
    {
        var liangxi = Assert.Single(China.EntriesOf("320213"));

        Assert.Equal("梁溪区", liangxi.Name);
        Assert.Equal("江苏省无锡市梁溪区", liangxi.FullName);
        Assert.Equal(CountyLevel.County, liangxi.Level);
        Assert.Equal(CountyStatus.InUse, liangxi.Status);
        Assert.Equal(2015, liangxi.FromYear);
        Assert.Null(liangxi.ToYear);
        Assert.Same(liangxi, China.InUseOf("320213"));
    }

    [Fact]
    public void Chong_an_was_abolished_in_2015_and_went_to_Liangxi()
    {
        var chongan = Assert.Single(China.EntriesOf("320202"));

        Assert.Equal("崇安区", chongan.Name);
        Assert.Equal("无锡市", chongan.Prefecture);
        Assert.Equal(CountyStatus.Abolished, chongan.Status);
        Assert.Equal(1983, chongan.FromYear);
        Assert.Equal(2015, chongan.ToYear);
        Assert.Equal([new CountySuccessor("320213", null)], chongan.Successors);
        Assert.Null(China.InUseOf("320202"));
        Assert.Same(chongan, China.LatestOf("320202"));
    }

    [Fact]
    public void A_reused_code_lists_its_name_in_use_first_and_its_earlier_name_with_the_years()
    {
        var entries = China.EntriesOf("320211");

        Assert.Equal(["滨湖区", "郊区"], entries.Select(e => e.Name));
        Assert.True(entries[0].InUse);
        Assert.Equal([new CountySuccessor("320214", 2015)], entries[0].Successors);
        Assert.Equal(CountyStatus.Changed, entries[1].Status);
        Assert.Equal((1983, 2000), (entries[1].FromYear, entries[1].ToYear!.Value));
        Assert.Equal([new CountySuccessor("320212", 1987), new CountySuccessor("320211", null)], entries[1].Successors);
    }

    [Fact]
    public void A_county_directly_under_a_municipality_has_no_prefecture()
    {
        var chongwen = Assert.Single(China.EntriesOf("110103"));

        Assert.Null(chongwen.Prefecture);
        Assert.Equal("北京市崇文区", chongwen.FullName);
        Assert.Equal(2010, chongwen.ToYear);
    }

    [Theory]
    [InlineData("320201")]
    [InlineData("320000")]
    [InlineData("999999")]
    [InlineData("")]
    [InlineData(null)]
    public void A_code_the_list_does_not_have_has_no_entries(string? code)
    {
        Assert.Empty(China.EntriesOf(code));
        Assert.Null(China.LatestOf(code));
    }

    [Fact]
    public void Two_loads_of_the_embedded_file_are_equal()
    {
        var again = CountyCatalogue.LoadChina();

        Assert.Equal(China.Entries.Count, again.Entries.Count);
        Assert.True(China.Entries.Zip(again.Entries).All(p => p.First.Code == p.Second.Code && p.First.Name == p.Second.Name
            && p.First.FromYear == p.Second.FromYear && p.First.Successors.SequenceEqual(p.Second.Successors)));
    }
}
