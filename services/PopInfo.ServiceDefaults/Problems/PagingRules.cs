namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// The paging parameters every list takes, checked one way: <c>limit</c> from 1 to the list's maximum, a keyset cursor
/// (<c>after</c> from 0, <c>before</c> from 1) or an <c>offset</c> from 0; each broken rule named by its field and the rule
/// <c>range</c>. Lists add their own rules beside these.
/// </summary>
public static class PagingRules
{
    /// <summary>The rule a paging value out of its range breaks.</summary>
    public const string Range = "range";

    /// <summary><c>limit</c>: from 1 to <paramref name="max"/> (unset passes: the list's default applies).</summary>
    public static void Limit(List<RuleViolation> violations, int? limit, int max)
    {
        if (limit is < 1 || limit > max)
        {
            violations.Add(new("limit", Range, $"limit is 1 to {max}."));
        }
    }

    /// <summary><c>after</c>, a cursor from 0: <paramref name="what"/> says what it counts, e.g. "a sequence number".</summary>
    public static void After(List<RuleViolation> violations, long? after, string what)
    {
        if (after is < 0)
        {
            violations.Add(new("after", Range, $"after is {what}, 0 or more."));
        }
    }

    /// <summary><c>before</c>, a cursor from 1 (an id): <paramref name="what"/> says what it counts, e.g. "an id".</summary>
    public static void Before(List<RuleViolation> violations, long? before, string what)
    {
        if (before is < 1)
        {
            violations.Add(new("before", Range, $"before is {what}, 1 or more."));
        }
    }

    /// <summary><c>offset</c>: from 0.</summary>
    public static void Offset(List<RuleViolation> violations, int? offset)
    {
        if (offset is < 0)
        {
            violations.Add(new("offset", Range, "offset is 0 or more."));
        }
    }
}
