using PopInfo.Domain.Sharing;

namespace PopInfo.UnitTests.Sharing;

public class VerificationTests
{
    private static readonly RegisteredPerson Living = new("张三丰", new DateOnly(1990, 3, 7), "1", "living");

    [Fact]
    public void An_unknown_number_is_no_match_unless_the_grant_may_tell_not_found()
    {
        Assert.Equal(Verification.NoMatch, Verification.Outcome(null, new("张三丰"), mayTellNotFound: false));
        Assert.Equal(Verification.NotFound, Verification.Outcome(null, new("张三丰"), mayTellNotFound: true));
    }

    [Theory]
    [InlineData("张三丰", null, null, Verification.Match)]
    [InlineData("张三丰", "1990-03-07", "1", Verification.Match)]
    [InlineData("张三", null, null, Verification.NoMatch)]
    [InlineData("张三丰", "1990-03-08", null, Verification.NoMatch)]
    [InlineData("张三丰", null, "2", Verification.NoMatch)]
    public void Every_given_detail_must_match(string name, string? birth, string? sex, string expected)
    {
        var claim = new VerificationClaim(name, birth is null ? null : DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), sex);
        Assert.Equal(expected, Verification.Outcome(Living, claim, mayTellNotFound: true));
    }

    [Fact]
    public void Death_and_departure_are_told_only_to_whoever_has_every_detail_right()
    {
        var dead = Living with { Status = "deceased" };
        var gone = Living with { Status = "moved-away" };
        Assert.Equal(Verification.Deceased, Verification.Outcome(dead, new("张三丰"), false));
        Assert.Equal(Verification.MovedAway, Verification.Outcome(gone, new("张三丰"), false));
        // A wrong name learns nothing about the status.
        Assert.Equal(Verification.NoMatch, Verification.Outcome(dead, new("李四"), false));
        Assert.Equal(Verification.NoMatch, Verification.Outcome(gone, new("张三丰", new DateOnly(1991, 1, 1)), false));
    }

    [Theory]
    [InlineData(" 张三丰 ")]
    [InlineData("张三丰\u3000")]
    [InlineData("ＺＨＡＮＧ  San", "ZHANG San")]
    [InlineData("Zhang\u3000San", "Zhang San")]
    public void Names_forgive_full_width_forms_and_spacing_only(string claimed, string? registered = null)
    {
        Assert.True(Verification.SameName(registered ?? "张三丰", claimed));
    }

    [Theory]
    [InlineData("张三丰", "張三豐")] // traditional characters are another name here
    [InlineData("Zhang San", "zhang san")] // no case folding
    [InlineData("张三丰", "张 三丰")] // a space inside a Chinese name is not nothing
    public void Names_do_not_forgive_more(string registered, string claimed)
    {
        Assert.False(Verification.SameName(registered, claimed));
    }
}
