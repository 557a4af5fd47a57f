using PopInfo.Domain.Codes;

namespace PopInfo.UnitTests.Codes;

public class CodeListTests
{
    [Fact]
    public void A_code_list_with_a_duplicate_code_cannot_be_built()
    {
        var exception = Assert.Throws<ArgumentException>(() => new CodeList("test", "GB/T 0000",
        [
            new("1", "一", "one"),
            new("1", "壹", "one again"),
        ]));

        Assert.Contains("'1'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_cannot_be_changed_through_the_list()
    {
        var list = NationalCodes.Sex;

        Assert.False(list.Entries is CodeEntry[]);
        Assert.IsType<IList<CodeEntry>>(list.Entries, exactMatch: false);
        Assert.True(((ICollection<CodeEntry>)list.Entries).IsReadOnly);
    }
}
