using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Audit;

namespace PopInfo.UnitTests.Access;

public sealed class AuditSearchRulesTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<(string, string)> Broken(Guid? personId = null, string? idNumber = null, string? actor = null, string? action = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int? limit = null, bool bounded = true) =>
        [.. AuditSearchRules.Check(personId, idNumber, actor, action, bounded ? from ?? From : from, bounded ? to ?? From.AddDays(1) : to, limit, out _)
            .Select(v => (v.Field, v.Rule))];

    [Fact]
    public void A_bounded_range_alone_is_a_search()
    {
        Assert.Empty(Broken());
        Assert.Empty(Broken(to: From.AddDays(366), limit: AuditSearchRules.MaxLimit));
        Assert.Empty(Broken(personId: Guid.NewGuid(), actor: "collector-a", action: "form.submit", limit: 1));
    }

    [Fact]
    public void The_range_is_required_ordered_and_at_most_366_days()
    {
        Assert.Equal([("from", AuditSearchRules.Required), ("to", AuditSearchRules.Required)], Broken(bounded: false));
        Assert.Equal([("to", AuditSearchRules.TimeRange)], Broken(to: From));
        Assert.Equal([("to", AuditSearchRules.TimeSpanRule)], Broken(to: From.AddDays(366).AddTicks(1)));
    }

    [Fact]
    public void Person_actor_action_and_limit_break_their_own_rules()
    {
        Assert.Equal([("idNumber", PersonNamed.OneOf)], Broken(personId: Guid.NewGuid(), idNumber: "320205198001010017"));
        Assert.Equal([("actor", AuditSearchRules.TextFormat)], Broken(actor: "two words"));
        Assert.Equal([("action", AuditSearchRules.TextFormat)], Broken(action: new string('a', AuditSearchRules.MaxTextLength + 1)));
        Assert.Equal([("actor", AuditSearchRules.TextFormat)], Broken(actor: ""));
        Assert.Equal([("limit", AuditSearchRules.Range)], Broken(limit: 0));
        Assert.Equal([("limit", AuditSearchRules.Range)], Broken(limit: AuditSearchRules.MaxLimit + 1));
    }

    [Fact]
    public void An_identity_number_is_normalised()
    {
        AuditSearchRules.Check(null, "32020519800101015x", null, null, From, From.AddDays(1), null, out var normalised);
        Assert.Equal("32020519800101015X", normalised);
    }

    [Fact]
    public void A_cursor_comes_back_as_it_was_and_anything_else_is_not_one()
    {
        var cursor = new AuditCursor(new DateTimeOffset(2026, 12, 6, 19, 16, 48, TimeSpan.Zero).AddTicks(2265790), "delivery", "police", 42);
        Assert.Equal(cursor, AuditCursor.Decode(cursor.Encode()));
        Assert.DoesNotContain('=', cursor.Encode());
        Assert.Null(AuditCursor.Decode("not a cursor!"));
        Assert.Null(AuditCursor.Decode(new AuditCursor(DateTimeOffset.UnixEpoch, "read", "", 1).Encode()[..6]));
    }
}
