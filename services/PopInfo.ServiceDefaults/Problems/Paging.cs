using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// The paging of one list once checked (<see cref="PagingRules"/>): what the store is asked for, with the list's
/// defaults in place of what the caller left out.
/// </summary>
public sealed record Paging(int Limit, long After, long? Before, int Offset)
{
    /// <summary>
    /// Checks the paging a list was asked for, once: each broken rule is added to <paramref name="violations"/> (beside the
    /// list's own rules), in the order after, before, offset, limit. <paramref name="cursor"/> says what the cursor counts,
    /// e.g. "a sequence number".
    /// </summary>
    public static Paging Check(List<RuleViolation> violations, int? limit, int defaultLimit, int maxLimit, string cursor = "",
        long? after = null, long? before = null, int? offset = null)
    {
        PagingRules.After(violations, after, cursor);
        PagingRules.Before(violations, before, cursor);
        PagingRules.Offset(violations, offset);
        PagingRules.Limit(violations, limit, maxLimit);
        return new(limit ?? defaultLimit, after ?? 0, before, offset ?? 0);
    }

    /// <summary>The paging, or the rules it breaks, for a list with no rules of its own.</summary>
    public static Result<Paging> Checked(int? limit, int defaultLimit, int maxLimit, string cursor = "", long? after = null, long? before = null,
        int? offset = null)
    {
        var violations = new List<RuleViolation>();
        var paging = Check(violations, limit, defaultLimit, maxLimit, cursor, after, before, offset);
        return violations.Count > 0 ? Refusal.Invalid(violations) : paging;
    }
}

/// <summary>
/// A feed's paging from the query (<c>[AsParameters]</c>): entries after the sequence <c>after</c> (0: from the start),
/// at most <c>limit</c> (default 100).
/// </summary>
/// <remarks>The defaults are said twice, as the parameters' and as the properties' (the OpenAPI document reads the latter).</remarks>
public readonly record struct AfterPaging(
    [FromQuery(Name = "after")][property: DefaultValue(0L)] long After = 0,
    [FromQuery(Name = "limit")][property: DefaultValue(100)] int Limit = 100)
{
    /// <summary>The paging, or the rules it breaks; <paramref name="cursor"/> says what <c>after</c> counts.</summary>
    public Result<Paging> Checked(int maxLimit, string cursor) => Paging.Checked(Limit, Limit, maxLimit, cursor, after: After);
}

/// <summary>A newest-first list's paging from the query (<c>[AsParameters]</c>): items before the id <c>before</c>, at most <c>limit</c> (default 100).</summary>
public readonly record struct BeforePaging(
    [FromQuery(Name = "before")] long? Before = null,
    [FromQuery(Name = "limit")][property: DefaultValue(100)] int Limit = 100)
{
    /// <summary>Checks the paging beside the list's own rules; <paramref name="cursor"/> says what <c>before</c> counts.</summary>
    public Paging Check(List<RuleViolation> violations, int maxLimit, string cursor) =>
        Paging.Check(violations, Limit, Limit, maxLimit, cursor, before: Before);
}

/// <summary>A numbered list's paging from the query (<c>[AsParameters]</c>): from item <c>offset</c> (default 0), at most <c>limit</c>.</summary>
public readonly record struct OffsetPaging([FromQuery(Name = "offset")] int? Offset, [FromQuery(Name = "limit")] int? Limit)
{
    /// <summary>Checks the paging beside the list's own rules; the list's default limit applies when none is given.</summary>
    public Paging Check(List<RuleViolation> violations, int defaultLimit, int maxLimit) =>
        Paging.Check(violations, Limit, defaultLimit, maxLimit, offset: Offset);
}
