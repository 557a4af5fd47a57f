using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.UnitTests.Problems;

public sealed class PagingRulesTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(500, true)]
    [InlineData(null, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(501, false)]
    public void A_limit_is_one_to_the_lists_maximum(int? limit, bool passes)
    {
        var violations = new List<RuleViolation>();

        PagingRules.Limit(violations, limit, 500);

        Assert.Equal(passes ? [] : [new RuleViolation("limit", "range", "limit is 1 to 500.")], violations);
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(null, true)]
    [InlineData(-1L, false)]
    public void After_is_a_cursor_from_zero(long? after, bool passes)
    {
        var violations = new List<RuleViolation>();

        PagingRules.After(violations, after, "a sequence number");

        Assert.Equal(passes ? [] : [new RuleViolation("after", "range", "after is a sequence number, 0 or more.")], violations);
    }

    [Theory]
    [InlineData(1L, true)]
    [InlineData(null, true)]
    [InlineData(0L, false)]
    public void Before_is_an_id_from_one(long? before, bool passes)
    {
        var violations = new List<RuleViolation>();

        PagingRules.Before(violations, before, "an id");

        Assert.Equal(passes ? [] : [new RuleViolation("before", "range", "before is an id, 1 or more.")], violations);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(null, true)]
    [InlineData(-1, false)]
    public void An_offset_is_from_zero(int? offset, bool passes)
    {
        var violations = new List<RuleViolation>();

        PagingRules.Offset(violations, offset);

        Assert.Equal(passes ? [] : [new RuleViolation("offset", "range", "offset is 0 or more.")], violations);
    }

    [Fact]
    public void Each_broken_rule_is_added_in_the_order_checked()
    {
        var violations = new List<RuleViolation>();

        PagingRules.After(violations, -5, "a read id");
        PagingRules.Limit(violations, 0, 100);

        Assert.Equal(["after", "limit"], violations.Select(v => v.Field));
    }
}
