using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.UnitTests.Problems;

/// <summary>The one paging binder: the query's values checked once, the list's defaults in place of what was left out.</summary>
public sealed class PagingTests
{
    [Fact]
    public void Left_out_values_take_the_lists_defaults()
    {
        var violations = new List<RuleViolation>();

        var paging = Paging.Check(violations, limit: null, defaultLimit: 50, maxLimit: 200);

        Assert.Equal((new Paging(50, 0, null, 0), 0), (paging, violations.Count));
    }

    [Fact]
    public void Broken_rules_are_added_after_the_lists_own_in_the_order_after_before_offset_limit()
    {
        var violations = new List<RuleViolation> { new("rule", "quality.rule", "rule is known.") };

        Paging.Check(violations, limit: 0, defaultLimit: 50, maxLimit: 200, cursor: "an id", after: -1, before: 0, offset: -1);

        Assert.Equal(["rule", "after", "before", "offset", "limit"], violations.Select(v => v.Field));
    }

    [Fact]
    public void A_feeds_paging_is_checked_with_what_its_cursor_counts()
    {
        var refused = new AfterPaging(After: -1, Limit: 1001).Checked(1000, "a sequence number");

        Assert.Equal(
            [new RuleViolation("after", "range", "after is a sequence number, 0 or more."), new RuleViolation("limit", "range", "limit is 1 to 1000.")],
            refused.Refusal?.Violations);
    }

    [Fact]
    public void A_feeds_paging_within_its_rules_is_the_paging()
    {
        Result<Paging> paging = new AfterPaging(After: 7, Limit: 10).Checked(1000, "a sequence number");

        Assert.Equal(new Paging(10, 7, null, 0), paging.Value);
    }

    [Fact]
    public void A_newest_first_list_names_what_before_counts()
    {
        var violations = new List<RuleViolation>();

        var paging = new BeforePaging(Before: 0, Limit: 5).Check(violations, 500, "an id");

        Assert.Equal(new Paging(5, 0, 0, 0), paging);
        Assert.Equal([new RuleViolation("before", "range", "before is an id, 1 or more.")], violations);
    }

    [Fact]
    public void A_numbered_list_takes_its_default_limit()
    {
        var violations = new List<RuleViolation>();

        var paging = new OffsetPaging(Offset: 20, Limit: null).Check(violations, defaultLimit: 50, maxLimit: 200);

        Assert.Equal((new Paging(50, 0, null, 20), 0), (paging, violations.Count));
    }
}
